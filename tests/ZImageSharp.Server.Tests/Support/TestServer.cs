using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ZImageSharp.Cpu;
using ZImageSharp.Pipelines;
using ZImageSharp.Server.Generation;
using ZImageSharp.Server.Jobs;

namespace ZImageSharp.Server.Tests.Support;

/// <summary>
/// A real Kestrel on 127.0.0.1 with an ephemeral port, serving the demo model through a <see cref="ControlledGenerator"/>,
/// with a manual clock and captured logs. Defaults for speed: no warm-up, sizes down to 32 px (tests only; the
/// default limits are tested on their own), no shutdown grace.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    /// <summary>Limits for fast tests: only the minimum size is lowered.</summary>
    public static readonly GenerationLimits FastLimits = new() { MinSize = 32 };

    /// <summary>Options for fast tests: no warm-up, no shutdown grace, <see cref="FastLimits"/>.</summary>
    public static ServerOptions Fast { get; } = new() { Warmup = 0, ShutdownGrace = TimeSpan.Zero, Limits = FastLimits };

    private readonly ManualClock? _clock;

    private TestServer(ZImageServer server, ControlledGenerator generator, ManualClock? clock, CapturedLogs logs, TaskCompletionSource loadGate)
    {
        Server = server;
        Generator = generator;
        _clock = clock;
        Logs = logs;
        LoadGate = loadGate;
        Http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = ControlledGenerator.Guard };
    }

    public ZImageServer Server { get; }

    public ControlledGenerator Generator { get; }

    /// <summary>The server's clock, moved by hand (unless it was started on the system clock).</summary>
    public ManualClock Clock => _clock ?? throw new InvalidOperationException("this server runs on the system clock.");

    public CapturedLogs Logs { get; }

    /// <summary>The model "loads" when this completes (already completed unless the test asked to hold the load).</summary>
    public TaskCompletionSource LoadGate { get; }

    public HttpClient Http { get; }

    public JobScheduler Jobs => Server.Services.GetRequiredService<JobScheduler>();

    /// <param name="options">Defaults to <see cref="Fast"/>; the port is always ephemeral.</param>
    /// <param name="holdLoad">The model "loads" only when <see cref="LoadGate"/> is completed.</param>
    /// <param name="waitReady">Return once ready (after loading and warm-up).</param>
    /// <param name="systemClock">Real time instead of <see cref="Clock"/> (timings a person reads, as in a screenshot).</param>
    public static async Task<TestServer> StartAsync(ServerOptions? options = null, bool holdLoad = false, bool waitReady = true, bool systemClock = false)
    {
        options = (options ?? Fast) with { Port = 0 };

        ManualClock? clock = systemClock ? null : new ManualClock();
        var logs = new CapturedLogs();
        var generator = new ControlledGenerator(new PipelineImageGenerator(ZImagePipeline.CreateDemo(CpuBackend.Default)));
        var loadGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!holdLoad)
        {
            loadGate.SetResult();
        }

        var server = ZImageServer.Create(
            options,
            ModelDescription.Demo(),
            async (_, ct) =>
            {
                await loadGate.Task.WaitAsync(ct);
                return generator;
            },
            new ServerHostOptions
            {
                Time = clock ?? TimeProvider.System,
                HandleSignals = false,
                ConfigureLogging = logging =>
                {
                    logging.AddProvider(logs);
                    logging.SetMinimumLevel(LogLevel.Debug);
                },
            });
        await server.StartAsync(TestContext.Current.CancellationToken);
        var test = new TestServer(server, generator, clock, logs, loadGate);
        if (waitReady)
        {
            await test.WaitReadyAsync();
        }

        return test;
    }

    /// <summary>Waits until /api/v1/health/ready answers 200.</summary>
    public async Task WaitReadyAsync()
    {
        using var guard = new CancellationTokenSource(ControlledGenerator.Guard);
        while (!Server.State.IsReady)
        {
            await Task.Delay(10, guard.Token);
        }
    }

    /// <summary>POSTs a job and returns the response with its parsed body.</summary>
    public async Task<(HttpResponseMessage Response, JsonElement Body)> PostJobAsync(object body, string path = "/api/v1/generations")
    {
        HttpResponseMessage response = await Http.PostAsJsonAsync(path, body, TestContext.Current.CancellationToken);
        return (response, await ReadJsonAsync(response));
    }

    /// <summary>Submits a job that must be accepted; returns its id.</summary>
    public async Task<string> SubmitAsync(object body)
    {
        (HttpResponseMessage response, JsonElement json) = await PostJobAsync(body);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return json.GetProperty("id").GetString()!;
    }

    /// <summary>Waits for the job's final state and returns its JSON.</summary>
    public async Task<JsonElement> FinishedAsync(string id)
    {
        Assert.True(Jobs.Store.TryGet(id, out GenerationJob job), $"job {id} is not in the store");
        await job.Finished.WaitAsync(ControlledGenerator.Guard);
        return await GetJsonAsync($"/api/v1/generations/{id}");
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using HttpResponseMessage response = await Http.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}");
        return await ReadJsonAsync(response);
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Generator.Open();
        Generator.Resume();
        LoadGate.TrySetResult();
        Http.Dispose();
        await Server.StopAsync(CancellationToken.None);
        await Server.DisposeAsync();
    }
}
