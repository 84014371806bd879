using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ZImageSharp.Server.Api;
using ZImageSharp.Server.Endpoints;
using ZImageSharp.Server.Generation;
using ZImageSharp.Server.Hosting;
using ZImageSharp.Server.Jobs;
using ZImageSharp.Server.Metrics;

namespace ZImageSharp.Server;

/// <summary>
/// The HTTP server of <c>zimage serve</c>: Kestrel on one address, the OpenAI and job APIs, health, metrics and the web
/// UI, a bounded queue drained by one worker per device. Create, <see cref="StartAsync"/>, then wait for shutdown
/// (SIGINT/SIGTERM) or <see cref="StopAsync"/>.
/// </summary>
public sealed class ZImageServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ZImageServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The server's services (tests reach the job store through it).</summary>
    internal IServiceProvider Services => _app.Services;

    /// <summary>The phase the worker has reached (loading, warming up, ready, …).</summary>
    public ServerState State => _app.Services.GetRequiredService<ServerState>();

    /// <summary>The address the server listens on (the real port when 0 was asked), once started.</summary>
    public Uri BaseAddress => new(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    /// <summary>Builds the server; nothing listens or loads until <see cref="StartAsync"/>.</summary>
    /// <param name="options">Address, auth, queue and limits; validated here.</param>
    /// <param name="model">What the model is, known before it loads (defaults, UI, metadata).</param>
    /// <param name="factory">Loads the model; runs in the background after the server starts listening.</param>
    /// <param name="host">Clock and logging for tests and embedding; defaults when null.</param>
    /// <exception cref="ServerOptionsException">For options that cannot work, naming the option.</exception>
    public static ZImageServer Create(ServerOptions options, ModelDescription model, ImageGeneratorFactory factory, ServerHostOptions? host = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(factory);
        options.Validate();
        host ??= new ServerHostOptions();

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        // Our request scope carries the id; the host's own scopes (trace/span ids, connection) would repeat it noisily.
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.None);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        if (host.ConfigureLogging is { } configure)
        {
            configure(builder.Logging);
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.IncludeScopes = true;
                o.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            });
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.Limits.MaxBodyBytes;
            kestrel.Listen(ServerOptions.ParseHost(options.Host)!, options.Port);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownGrace + TimeSpan.FromSeconds(10));
        if (!host.HandleSignals)
        {
            builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        }

        TimeProvider time = host.Time ?? TimeProvider.System;
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(model);
        builder.Services.AddSingleton(factory);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton<ServerState>();
        builder.Services.AddSingleton<GeneratorHolder>();
        builder.Services.AddSingleton(new ServerMetrics(time));
        builder.Services.AddSingleton(new JobQueue(options.MaxQueue));
        builder.Services.AddSingleton(new JobStore(time, options.ResultTtl));
        builder.Services.AddSingleton<JobScheduler>();
        builder.Services.AddHostedService<GenerationWorker>();
        builder.Services.AddHostedService<StoreSweeper>();

        WebApplication app = builder.Build();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();
        UiEndpoints.Map(app);
        HealthEndpoints.Map(app);
        JobEndpoints.Map(app);
        ImageEndpoints.Map(app);
        OpenAiEndpoints.Map(app);
        MetricsEndpoints.Map(app);
        app.MapFallback(NotFoundAsync);
        if (model.IsDemo)
        {
            ServerLog.DemoModel(app.Logger);
        }

        return new ZImageServer(app);
    }

    /// <summary>Starts listening; the model loads in the background (ready turns 200 after warm-up).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        ModelDescription model = _app.Services.GetRequiredService<ModelDescription>();
        ServerLog.Listening(_app.Logger, BaseAddress.ToString().TrimEnd('/'), model.Name, model.Device);
    }

    /// <summary>Completes when the host has shut down (SIGINT/SIGTERM, or <paramref name="cancellationToken"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Graceful shutdown: refuse new jobs, cancel waiting ones, let the running batch finish within the grace, stop.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static Task NotFoundAsync(HttpContext context)
    {
        var error = new ApiException(StatusCodes.Status404NotFound, $"no endpoint {context.Request.Method} {context.Request.Path}; see the README for the API.");
        return context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal)
            ? ErrorResponses.WriteOpenAiAsync(context, error)
            : ErrorResponses.WriteProblemAsync(context, error);
    }
}
