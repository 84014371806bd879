using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ZImageSharp.Pipelines;
using ZImageSharp.Server.Api;
using ZImageSharp.Server.Generation;
using ZImageSharp.Server.Jobs;

namespace ZImageSharp.Server.Endpoints;

/// <summary>
/// The job API: <c>POST /api/v1/generations</c> (202 + id and queue position), <c>GET …/{id}</c> (status, progress,
/// timings, image URLs), <c>GET …/{id}/events</c> (Server-Sent Events), <c>DELETE …/{id}</c> (cancel, also mid-step).
/// </summary>
internal static class JobEndpoints
{
    /// <summary>Seconds between SSE comments that keep idle proxies from closing a stream.</summary>
    private static readonly TimeSpan s_keepAlive = TimeSpan.FromSeconds(15);

    /// <summary>Adds the routes.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/generations", ApiCall.Problem(CreateAsync));
        app.MapGet("/api/v1/generations/{id}", ApiCall.Problem(GetAsync));
        app.MapDelete("/api/v1/generations/{id}", ApiCall.Problem(CancelAsync));
        app.MapGet("/api/v1/generations/{id}/events", ApiCall.Problem(EventsAsync));
    }

    /// <summary>Writes a JSON body.</summary>
    public static Task WriteJsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(json, context.RequestAborted);
    }

    /// <summary>The job named by the route, or a 404.</summary>
    public static GenerationJob FindJob(HttpContext context)
    {
        string id = (string)context.Request.RouteValues["id"]!;
        JobScheduler jobs = context.RequestServices.GetRequiredService<JobScheduler>();
        if (JobIds.IsWellFormed(id) && jobs.Store.TryGet(id, out GenerationJob job))
        {
            return job;
        }

        throw new ApiException(404, $"no job {id}: unknown, or expired ({jobs.Store.Ttl.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} minutes after it finished).", "id");
    }

    private static async Task CreateAsync(HttpContext context)
    {
        ServerOptions options = context.RequestServices.GetRequiredService<ServerOptions>();
        using JsonDocument body = await JsonBody.ReadObjectAsync(context.Request, options.Limits.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        var f = new JsonFields(body.RootElement);
        var fields = new RequestFields(
            f.String("prompt"), f.String("negative_prompt"), f.Int("width"), f.Int("height"), f.Int("steps"), f.Double("guidance_scale"), f.Long("seed"), f.Int("count"));
        GenerationRequest request = RequestBuilder.Build(fields, options.Limits, context.RequestServices.GetRequiredService<ModelDescription>());
        (GenerationJob job, int position) = context.RequestServices.GetRequiredService<JobScheduler>().Submit(request, context.TraceIdentifier);
        context.Response.Headers.Location = $"/api/v1/generations/{job.Id}";
        await WriteJsonAsync(context, StatusCodes.Status202Accepted, JobJson.Job(job, position)).ConfigureAwait(false);
    }

    private static Task GetAsync(HttpContext context)
    {
        GenerationJob job = FindJob(context);
        int? position = context.RequestServices.GetRequiredService<JobScheduler>().Queue.PositionOf(job);
        return WriteJsonAsync(context, StatusCodes.Status200OK, JobJson.Job(job, position));
    }

    private static Task CancelAsync(HttpContext context)
    {
        GenerationJob job = FindJob(context);
        if (!context.RequestServices.GetRequiredService<JobScheduler>().Cancel(job, "cancelled by the client"))
        {
            throw new ApiException(409, $"job {job.Id} has already {JobJson.StatusName(job.Status)}; nothing to cancel.", "id");
        }

        return WriteJsonAsync(context, StatusCodes.Status200OK, JobJson.Job(job));
    }

    /// <summary>
    /// Replays the job's events (from <c>Last-Event-ID</c> + 1 when a client reconnects), then follows them until the
    /// final one, the client leaving, or shutdown.
    /// </summary>
    private static async Task EventsAsync(HttpContext context)
    {
        GenerationJob job = FindJob(context);
        TimeProvider time = context.RequestServices.GetRequiredService<TimeProvider>();
        IHostApplicationLifetime lifetime = context.RequestServices.GetRequiredService<IHostApplicationLifetime>();
        int next = int.TryParse(context.Request.Headers["Last-Event-ID"], NumberStyles.None, CultureInfo.InvariantCulture, out int last) ? last + 1 : 0;

        HttpResponse response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx: do not buffer the stream
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            await response.WriteAsync("retry: 2000\n\n", stop.Token).ConfigureAwait(false);
            while (true)
            {
                (IReadOnlyList<JobEvent> events, Task changed) = job.EventsFrom(next);
                foreach (JobEvent e in events)
                {
                    await response.WriteAsync($"id: {e.Sequence}\nevent: {e.Type}\ndata: {e.Data}\n\n", stop.Token).ConfigureAwait(false);
                    next = e.Sequence + 1;
                }

                await response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
                // Final: the last event ended it, or (resumed past the end) a finished job has nothing more to send.
                if ((events.Count > 0 && events[^1].IsFinal) || (job.IsFinished && job.EventsFrom(next).Events.Count == 0))
                {
                    return;
                }

                Task keepAlive = Task.Delay(s_keepAlive, time, stop.Token);
                if (await Task.WhenAny(changed, keepAlive).ConfigureAwait(false) == keepAlive)
                {
                    await keepAlive.ConfigureAwait(false); // throws when stopping
                    await response.WriteAsync(": keep-alive\n\n", stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client left or the server is stopping: the stream just ends.
        }
    }
}
