using System.Net;
using System.Text.Json;
using ZImageSharp.Server.Hosting;
using ZImageSharp.Server.Jobs;
using ZImageSharp.Server.Tests.Support;

namespace ZImageSharp.Server.Tests.Api;

/// <summary>
/// Liveness at once, readiness only after loading and every warm-up generation (503 with the phase until then), jobs
/// queued meanwhile, and a model that cannot load: the process stays up, says why, and refuses jobs.
/// </summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Live_AnswersAtOnce_Ready_Is503UntilLoadedAndEveryWarmUpRan_JobsQueueMeanwhile()
    {
        await using TestServer server = await TestServer.StartAsync(TestServer.Fast with { Warmup = 2 }, holdLoad: true, waitReady: false);
        using HttpResponseMessage live = await server.Http.GetAsync("/api/v1/health/live", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("live", (await TestServer.ReadJsonAsync(live)).GetProperty("status").GetString());
        await AssertNotReadyAsync(server, "loading", "loading the model");
        string early = await server.SubmitAsync(new { prompt = "submitted while loading", width = 32, height = 32, steps = 1 });

        server.Generator.Hold();
        server.LoadGate.SetResult();
        await server.Generator.BatchArrivedAsync();
        await AssertNotReadyAsync(server, "warmingup", "warm-up 1 of 2");
        server.Generator.Allow();
        await server.Generator.BatchArrivedAsync();
        await AssertNotReadyAsync(server, "warmingup", "warm-up 2 of 2");
        Assert.Equal(JobStatus.Queued, Job(server, early).Status);

        server.Generator.Open();
        await server.WaitReadyAsync();
        using HttpResponseMessage ready = await server.Http.GetAsync("/api/v1/health/ready", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready", (await TestServer.ReadJsonAsync(ready)).GetProperty("status").GetString());
        Assert.Equal("completed", (await server.FinishedAsync(early)).GetProperty("status").GetString());

        // The two warm-ups: the smallest allowed size, two steps, before the first job.
        Assert.Equal(["warm-up", "warm-up", "submitted while loading"], server.Generator.Batches.Select(b => b.Single().Prompt));
        Assert.All(server.Generator.Batches.Take(2), b => Assert.Equal((32, 32, 2), (b[0].Width, b[0].Height, b[0].Steps)));
    }

    [Fact]
    public async Task AModelThatCannotLoad_KeepsTheServerUp_ReadyExplains_AndJobsAreRefused()
    {
        await using TestServer server = await TestServer.StartAsync(holdLoad: true, waitReady: false);
        string queued = await server.SubmitAsync(new { prompt = "x", width = 32, height = 32, steps = 1 });
        server.LoadGate.SetException(new FileNotFoundException("transformer/config.json is missing"));
        JsonElement job = await server.FinishedAsync(queued);
        Assert.Equal(("failed", "the model could not be loaded: transformer/config.json is missing"), (job.GetProperty("status").GetString(), job.GetProperty("error").GetString()));

        await AssertNotReadyAsync(server, "failed", "transformer/config.json is missing");
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/api/v1/health/live", TestContext.Current.CancellationToken)).StatusCode);
        (HttpResponseMessage refused, JsonElement problem) = await server.PostJobAsync(new { prompt = "y", width = 32, height = 32 });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("the server is not accepting jobs: transformer/config.json is missing.", problem.GetProperty("detail").GetString());
        Assert.Contains(server.Logs.Records, r => r.Level == Microsoft.Extensions.Logging.LogLevel.Critical && r.Message.Contains("could not be loaded", StringComparison.Ordinal));
    }

    private static GenerationJob Job(TestServer server, string id)
    {
        Assert.True(server.Jobs.Store.TryGet(id, out GenerationJob job));
        return job;
    }

    private static async Task AssertNotReadyAsync(TestServer server, string status, string detail)
    {
        foreach (string path in new[] { "/api/v1/health/ready", "/api/v1/health" })
        {
            using HttpResponseMessage response = await server.Http.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
            JsonElement body = await TestServer.ReadJsonAsync(response);
            Assert.Equal(status, body.GetProperty("status").GetString());
            Assert.Contains(detail, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(status, (await server.GetJsonAsync("/api/v1/info")).GetProperty("status").GetString());
        Assert.NotEqual(ServerPhase.Ready, server.Server.State.Phase);
    }
}
