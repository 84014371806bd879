using System.Net;
using System.Text.Json;
using ZImageSharp.Pipelines;
using ZImageSharp.Server.Jobs;
using ZImageSharp.Server.Tests.Support;

namespace ZImageSharp.Server.Tests.Jobs;

/// <summary>Cancellation mid-generation, TTL expiry, failing and NaN-producing generations, output files, shutdown.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task Delete_MidGeneration_StopsTheLoopAtTheNextStep_AndTheServerGoesOn()
    {
        await using TestServer server = await TestServer.StartAsync();
        server.Generator.PauseAtStep(2);
        string id = await server.SubmitAsync(new { prompt = "x", width = 32, height = 32, steps = 50 });
        var seen = new List<string>();
        Task<List<(int Id, string Type, JsonElement Data)>> stream = Sse.ReadAllAsync(server.Http, $"/api/v1/generations/{id}/events", onEvent: seen.Add);
        await server.Generator.PausedAsync(); // the generation thread is inside step 2's progress report

        JsonElement running = await server.GetJsonAsync($"/api/v1/generations/{id}");
        Assert.Equal(("running", 2, 50), (running.GetProperty("status").GetString(), running.GetProperty("progress").GetProperty("step").GetInt32(), running.GetProperty("progress").GetProperty("total_steps").GetInt32()));
        using HttpResponseMessage cancel = await server.Http.DeleteAsync($"/api/v1/generations/{id}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        server.Generator.Resume();

        List<(int Id, string Type, JsonElement Data)> events = await stream;
        Assert.Equal("cancelled", events[^1].Type);
        Assert.Equal(2, events.Where(e => e.Type == "step").Max(e => e.Data.GetProperty("step").GetInt32()));
        JsonElement job = await server.FinishedAsync(id);
        Assert.Equal("cancelled", job.GetProperty("status").GetString());
        Assert.Empty(job.GetProperty("images").EnumerateArray());

        // The pipeline itself stopped (its token fired), it did not run the other 48 steps.
        await WaitUntilAsync(() => server.Generator.CancelledBatches == 1);
        string next = await server.SubmitAsync(new { prompt = "y", width = 32, height = 32, steps = 1 });
        Assert.Equal("completed", (await server.FinishedAsync(next)).GetProperty("status").GetString());
        Assert.Contains("zimage_jobs_cancelled_total 1\n", await server.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FinishedJobs_ExpireAfterTheTtl_WithTheirImages()
    {
        await using TestServer server = await TestServer.StartAsync(TestServer.Fast with { ResultTtl = TimeSpan.FromMinutes(10) });
        string id = await server.SubmitAsync(new { prompt = "x", width = 32, height = 32, steps = 1 });
        string image = (await server.FinishedAsync(id)).GetProperty("images")[0].GetProperty("url").GetString()!;

        server.Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync($"/api/v1/generations/{id}", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync(image, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(1, server.Jobs.Store.ImageCount);

        server.Clock.Advance(TimeSpan.FromSeconds(2));
        using HttpResponseMessage gone = await server.Http.GetAsync($"/api/v1/generations/{id}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Contains("expired (10 minutes after it finished)", (await TestServer.ReadJsonAsync(gone)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync(image, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal((0, 0), (server.Jobs.Store.JobCount, server.Jobs.Store.ImageCount));
    }

    [Fact]
    public async Task AQueuedOrRunningJob_NeverExpires()
    {
        await using TestServer server = await TestServer.StartAsync(TestServer.Fast with { ResultTtl = TimeSpan.FromMinutes(1) });
        server.Generator.Hold();
        string id = await server.SubmitAsync(new { prompt = "x", width = 32, height = 32, steps = 1 });
        server.Clock.Advance(TimeSpan.FromHours(5));
        Assert.Equal(1, server.Jobs.Store.Sweep() + server.Jobs.Store.JobCount);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync($"/api/v1/generations/{id}", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task AFailingOrNaNGeneration_FailsThatJobWithAReason_AndTheServerGoesOn()
    {
        await using TestServer server = await TestServer.StartAsync();
        server.Generator.Failure = ("explode", new InvalidOperationException("the device ran out of memory"));
        // Through the real pipeline: an overflowing guidance scale makes the latents NaN (the limits would refuse it).
        server.Generator.Rewrite = r => r.Prompt == "nan" ? r with { GuidanceScale = 1e300, NegativePrompt = "other" } : r;

        string failing = await server.SubmitAsync(new { prompt = "explode", width = 32, height = 32, steps = 1 });
        JsonElement failed = await server.FinishedAsync(failing);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("generation failed: the device ran out of memory", failed.GetProperty("error").GetString());

        string nan = await server.SubmitAsync(new { prompt = "nan", width = 32, height = 32, steps = 2 });
        JsonElement nanJob = await server.FinishedAsync(nan);
        Assert.Equal("failed", nanJob.GetProperty("status").GetString());
        Assert.Equal(new NonFiniteLatentsException().Message, nanJob.GetProperty("error").GetString());

        (HttpResponseMessage response, JsonElement error) = await server.PostJobAsync(new { prompt = "nan", size = "32x32" }, "/v1/images/generations");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("server_error", error.GetProperty("error").GetProperty("type").GetString());

        string fine = await server.SubmitAsync(new { prompt = "fine", width = 32, height = 32, steps = 1 });
        Assert.Equal("completed", (await server.FinishedAsync(fine)).GetProperty("status").GetString());
        Assert.Contains("zimage_jobs_failed_total 3\n", await server.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputDirectory_GetsEveryImageAsPngWithParameters()
    {
        string folder = Path.Combine(Path.GetTempPath(), "zimage-server-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using TestServer server = await TestServer.StartAsync(TestServer.Fast with { OutputDirectory = folder });
            string id = await server.SubmitAsync(new { prompt = "saved", width = 32, height = 32, steps = 1, seed = 5, count = 2 });
            await server.FinishedAsync(id);
            string[] files = [.. Directory.GetFiles(folder).Order(StringComparer.Ordinal)];
            Assert.Equal(2, files.Length);
            Assert.All(files, f => Assert.Matches($"-{id[..8]}-5-[12]\\.png$", f));
            var png = IO.Tests.Images.PngDecoder.Decode(await File.ReadAllBytesAsync(files[0], TestContext.Current.CancellationToken));
            Assert.StartsWith("saved\nSteps: 1", png.Text["parameters"], StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Shutdown_CancelsWaitingJobs_AndTheRunningOneAfterTheGrace()
    {
        TestServer server = await TestServer.StartAsync();
        server.Generator.PauseAtStep(1);
        string running = await server.SubmitAsync(new { prompt = "running", width = 32, height = 32, steps = 5 });
        await server.Generator.PausedAsync();
        string waiting = await server.SubmitAsync(new { prompt = "waiting", width = 32, height = 32, steps = 1 });
        Assert.True(server.Jobs.Store.TryGet(running, out GenerationJob runningJob));
        Assert.True(server.Jobs.Store.TryGet(waiting, out GenerationJob waitingJob));

        Task stop = server.Server.StopAsync(TestContext.Current.CancellationToken);
        await waitingJob.Finished.WaitAsync(ControlledGenerator.Guard, TestContext.Current.CancellationToken);
        Assert.Equal((JobStatus.Cancelled, "the server shut down before the job started"), (waitingJob.Status, waitingJob.Error));
        server.Generator.Resume(); // grace is 0: the batch is cancelled at its next step
        await stop.WaitAsync(ControlledGenerator.Guard, TestContext.Current.CancellationToken);
        Assert.Equal((JobStatus.Cancelled, "the server shut down before the job finished"), (runningJob.Status, runningJob.Error));
        Assert.Equal(Hosting.ServerPhase.Stopping, server.Server.State.Phase);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Shutdown_LetsTheRunningJobFinishWithinTheGrace()
    {
        TestServer server = await TestServer.StartAsync(TestServer.Fast with { ShutdownGrace = TimeSpan.FromMinutes(5) });
        server.Generator.PauseAtStep(1);
        string running = await server.SubmitAsync(new { prompt = "running", width = 32, height = 32, steps = 3 });
        await server.Generator.PausedAsync();
        Assert.True(server.Jobs.Store.TryGet(running, out GenerationJob job));

        Task stop = server.Server.StopAsync(TestContext.Current.CancellationToken);
        await WaitUntilAsync(() => server.Server.State.Phase == Hosting.ServerPhase.Stopping);
        HttpResponseMessage refused = await SafePostAsync(server);
        Assert.True(refused.StatusCode is HttpStatusCode.ServiceUnavailable || refused == FailedConnection, $"a job submitted while stopping got {refused.StatusCode}");
        server.Generator.Resume();
        await stop.WaitAsync(ControlledGenerator.Guard, TestContext.Current.CancellationToken);
        Assert.Equal(JobStatus.Completed, job.Status);
        await server.DisposeAsync();
    }

    private static readonly HttpResponseMessage FailedConnection = new(HttpStatusCode.ServiceUnavailable);

    /// <summary>While stopping, Kestrel may already refuse connections; either way no job may be accepted.</summary>
    private static async Task<HttpResponseMessage> SafePostAsync(TestServer server)
    {
        try
        {
            return (await server.PostJobAsync(new { prompt = "late", width = 32, height = 32, steps = 1 })).Response;
        }
        catch (HttpRequestException)
        {
            return FailedConnection;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var guard = new CancellationTokenSource(ControlledGenerator.Guard);
        while (!condition())
        {
            await Task.Delay(5, guard.Token);
        }
    }
}
