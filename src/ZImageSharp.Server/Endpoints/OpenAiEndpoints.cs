using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ZImageSharp.Pipelines;
using ZImageSharp.Server.Api;
using ZImageSharp.Server.Generation;
using ZImageSharp.Server.Jobs;

namespace ZImageSharp.Server.Endpoints;

/// <summary>
/// OpenAI's <c>POST /v1/images/generations</c>, so existing OpenAI clients work unchanged: <c>prompt</c>, <c>n</c>,
/// <c>size</c> ("WxH" or "auto"), <c>response_format</c> (<c>b64_json</c>, the default, or <c>url</c>); extensions
/// <c>negative_prompt</c>, <c>steps</c>, <c>guidance_scale</c>, <c>seed</c>; OpenAI's own fields that do not apply
/// (<c>model</c>, <c>quality</c>, <c>style</c>, <c>user</c>, …) are accepted and ignored. The call waits for the
/// job; a client that disconnects cancels it.
/// </summary>
internal static class OpenAiEndpoints
{
    /// <summary>Adds the route.</summary>
    public static void Map(IEndpointRouteBuilder app) => app.MapPost("/v1/images/generations", ApiCall.OpenAi(GenerateAsync));

    private static async Task GenerateAsync(HttpContext context)
    {
        IServiceProvider services = context.RequestServices;
        ServerOptions options = services.GetRequiredService<ServerOptions>();
        ModelDescription model = services.GetRequiredService<ModelDescription>();
        JobScheduler jobs = services.GetRequiredService<JobScheduler>();

        GenerationRequest request;
        string format;
        using (JsonDocument body = await JsonBody.ReadObjectAsync(context.Request, options.Limits.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false))
        {
            var f = new JsonFields(body.RootElement);
            string? prompt = f.String("prompt");
            int? n = f.Int("n");
            (int? width, int? height) = ParseSize(f.String("size"), options.Limits);
            format = f.String("response_format") ?? "b64_json";
            if (format is not ("b64_json" or "url"))
            {
                throw ApiException.Invalid("response_format", $"response_format must be 'b64_json' or 'url', got '{format}'.");
            }

            var fields = new RequestFields(prompt, f.String("negative_prompt"), width, height, f.Int("steps"), f.Double("guidance_scale"), f.Long("seed"), n, CountField: "n");
            request = RequestBuilder.Build(fields, options.Limits, model);
        }

        (GenerationJob job, _) = jobs.Submit(request, context.TraceIdentifier);
        try
        {
            await job.Finished.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // Nobody is waiting for the images any more.
            jobs.Cancel(job, "the client disconnected");
            return;
        }

        switch (job.Status)
        {
            case JobStatus.Completed:
                await JobEndpoints.WriteJsonAsync(context, StatusCodes.Status200OK, Response(context, job, format)).ConfigureAwait(false);
                break;
            case JobStatus.Cancelled:
                throw new ApiException(StatusCodes.Status503ServiceUnavailable, $"the generation was cancelled: {job.Error}.", code: "cancelled");
            default:
                throw new ApiException(StatusCodes.Status500InternalServerError, $"the generation failed: {job.Error}", code: "generation_failed");
        }
    }

    /// <summary>"WxH" (or "auto" / absent for the model's default) with each side within the limits; errors name <c>size</c>.</summary>
    private static (int? Width, int? Height) ParseSize(string? size, GenerationLimits limits)
    {
        if (size is null || size == "auto")
        {
            return (null, null);
        }

        string[] parts = size.Split('x');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int width)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int height))
        {
            throw ApiException.Invalid("size", $"size must be 'WIDTHxHEIGHT' (e.g. '1024x1024') or 'auto', got '{size}'.");
        }

        string rule = $"size must have both sides multiples of {limits.SizeMultiple} between {limits.MinSize} and {limits.MaxSize}, got '{size}'.";
        if (width < limits.MinSize || width > limits.MaxSize || width % limits.SizeMultiple != 0
            || height < limits.MinSize || height > limits.MaxSize || height % limits.SizeMultiple != 0)
        {
            throw ApiException.Invalid("size", rule);
        }

        return (width, height);
    }

    /// <summary>OpenAI's ImagesResponse: <c>{"created": unix seconds, "data": [{"b64_json"} or {"url"}, …]}</c>.</summary>
    private static string Response(HttpContext context, GenerationJob job, string format)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("created", job.CreatedAt.ToUnixTimeSeconds());
            json.WriteStartArray("data");
            foreach (StoredImage image in job.Images)
            {
                json.WriteStartObject();
                if (format == "url")
                {
                    json.WriteString("url", $"{context.Request.Scheme}://{context.Request.Host}{image.Path}");
                }
                else
                {
                    json.WriteString("b64_json", Convert.ToBase64String(image.Png));
                }

                json.WriteString("revised_prompt", job.Request.Prompt);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
