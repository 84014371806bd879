using System.Net;
using System.Text.Json;
using ZImageSharp.IO.Tests.Images;
using ZImageSharp.Server.Tests.Support;

namespace ZImageSharp.Server.Tests.Api;

/// <summary>The job API end to end on a real Kestrel: submit, status, events, image download, cancel of a queued job.</summary>
public sealed class JobApiTests
{
    [Fact]
    public async Task Post_Returns202WithIdAndPosition_ThenTheJobCompletesWithADownloadablePng()
    {
        await using TestServer server = await TestServer.StartAsync();
        server.Generator.Hold();
        await server.SubmitAsync(new { prompt = "occupies the worker", width = 32, height = 32, steps = 1 });
        await server.Generator.BatchArrivedAsync();
        (HttpResponseMessage response, JsonElement body) = await server.PostJobAsync(new { prompt = "一只红狐狸 in snow", width = 64, height = 48, steps = 2, seed = 7, count = 2 });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        string id = body.GetProperty("id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal($"/api/v1/generations/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("queued", body.GetProperty("status").GetString());
        Assert.Equal(1, body.GetProperty("queue_position").GetInt32());
        Assert.Equal(7UL, body.GetProperty("request").GetProperty("seed").GetUInt64());

        server.Generator.Open();
        JsonElement job = await server.FinishedAsync(id);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal(1.0, job.GetProperty("progress").GetProperty("fraction").GetDouble());
        Assert.Equal(2, job.GetProperty("progress").GetProperty("total_steps").GetInt32());
        JsonElement timings = job.GetProperty("timings");
        foreach (string name in new[] { "queued_ms", "encoding_prompt_ms", "denoising_ms", "decoding_ms", "total_ms" })
        {
            Assert.True(timings.GetProperty(name).GetDouble() >= 0, name);
        }

        JsonElement[] images = [.. job.GetProperty("images").EnumerateArray()];
        Assert.Equal(2, images.Length);
        using HttpResponseMessage png = await server.Http.GetAsync(images[1].GetProperty("url").GetString(), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
        DecodedPng decoded = PngDecoder.Decode(await png.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal((64, 48), (decoded.Width, decoded.Height));
        Assert.Contains("Seed: 7", decoded.Text["parameters"], StringComparison.Ordinal);
        Assert.Contains("一只红狐狸", decoded.Text["parameters"], StringComparison.Ordinal);
        using JsonDocument meta = JsonDocument.Parse(decoded.Text["zimage"]);
        Assert.Equal(1, meta.RootElement.GetProperty("index").GetInt32());
        Assert.Equal("zimage-7-2.png", png.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
    }

    [Fact]
    public async Task Events_StreamQueuedStartedStagesEachStepAndDone_AndResumeAfterLastEventId()
    {
        await using TestServer server = await TestServer.StartAsync();
        server.Generator.Hold();
        string id = await server.SubmitAsync(new { prompt = "x", width = 32, height = 32, steps = 3, seed = 1 });
        Task<List<(int Id, string Type, JsonElement Data)>> stream = Sse.ReadAllAsync(server.Http, $"/api/v1/generations/{id}/events");
        server.Generator.Open();
        List<(int Id, string Type, JsonElement Data)> events = await stream;

        Assert.Equal(
            ["queued", "started", "stage", "stage", "stage", "step", "step", "step", "stage", "stage", "done"],
            events.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Id));
        Assert.Equal(["encoding_prompt", "preparing_latents", "denoising", "decoding", "done"], events.Where(e => e.Type == "stage").Select(e => e.Data.GetProperty("stage").GetString()));
        Assert.Equal([1, 2, 3], events.Where(e => e.Type == "step").Select(e => e.Data.GetProperty("step").GetInt32()));
        Assert.True(events.Select(e => e.Data.TryGetProperty("fraction", out JsonElement f) ? f.GetDouble() : 0).Zip(events.Skip(1).Select(e => e.Data.TryGetProperty("fraction", out JsonElement f) ? f.GetDouble() : 1)).All(p => p.First <= p.Second), "progress only grows");
        JsonElement done = events[^1].Data;
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Single(done.GetProperty("images").EnumerateArray());

        // A reconnecting client gets only what it missed; a finished job's stream ends at once.
        List<(int Id, string Type, JsonElement Data)> resumed = await Sse.ReadAllAsync(server.Http, $"/api/v1/generations/{id}/events", lastEventId: events.Count - 3);
        Assert.Equal(["stage", "done"], resumed.Select(e => e.Type));
        Assert.Empty(await Sse.ReadAllAsync(server.Http, $"/api/v1/generations/{id}/events", lastEventId: events.Count - 1));
    }

    [Fact]
    public async Task Delete_CancelsAQueuedJob_AndA_FinishedJobAnswers409()
    {
        await using TestServer server = await TestServer.StartAsync();
        server.Generator.Hold();
        string running = await server.SubmitAsync(new { prompt = "a", width = 32, height = 32, steps = 1 });
        await server.Generator.BatchArrivedAsync();
        string queued = await server.SubmitAsync(new { prompt = "b", width = 48, height = 32, steps = 1 });
        JsonElement status = await server.GetJsonAsync($"/api/v1/generations/{queued}");
        Assert.Equal(("queued", 1), (status.GetProperty("status").GetString(), status.GetProperty("queue_position").GetInt32()));

        using HttpResponseMessage cancel = await server.Http.DeleteAsync($"/api/v1/generations/{queued}", TestContext.Current.CancellationToken);
        JsonElement cancelled = await TestServer.ReadJsonAsync(cancel);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal("cancelled by the client", cancelled.GetProperty("error").GetString());
        Assert.Equal(0, server.Jobs.Queue.Count);

        server.Generator.Open();
        Assert.Equal("completed", (await server.FinishedAsync(running)).GetProperty("status").GetString());
        using HttpResponseMessage again = await server.Http.DeleteAsync($"/api/v1/generations/{running}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType!.MediaType);
        Assert.Single(server.Generator.Batches);
    }

    [Theory]
    [InlineData("/api/v1/generations/0123456789abcdef0123456789abcdef")]
    [InlineData("/api/v1/generations/not-an-id/events")]
    [InlineData("/api/v1/images/0123456789abcdef0123456789abcdef")]
    [InlineData("/api/v1/nothing-here")]
    public async Task UnknownIdsAndPaths_Answer404ProblemDetails(string path)
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpResponseMessage response = await server.Http.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        JsonElement problem = await TestServer.ReadJsonAsync(response);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }
}
