using ZImageSharp.Tensors;
using ZImageSharp.Pipelines;
using ZImageSharp.Pipelines.Loading;
using ZImageSharp.Server;
using ZImageSharp.Server.Generation;

namespace ZImageSharp.Cli.Commands.Serve;

/// <summary>
/// One <c>zimage serve</c> run: check the options and the model path (cheap mistakes fail before anything listens),
/// start the server (the model loads in the background while /api/v1/health/live answers), and run until SIGINT or
/// SIGTERM, which shut it down gracefully.
/// </summary>
internal static class ServeRunner
{
    /// <summary>Said when serving the demo model, so nobody mistakes its abstract images for a broken model.</summary>
    internal const string DemoNotice =
        "note: no --model given (and $" + TokenizeCommand.ModelVariable + " is not set): serving the built-in demo model, the real Z-Image " +
        "architecture at toy size with random weights. Its images are abstract patterns, not your prompt. For real images, " +
        "download Tongyi-MAI/Z-Image-Turbo and pass --model DIR.";

    /// <summary>Runs the server until it is shut down; returns the exit code.</summary>
    public static async Task<int> RunAsync(ServeSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        ServerOptions options = ToOptions(settings);
        options.Validate();
        if (settings.ModelPath is { } path && !Directory.Exists(path) && !File.Exists(path))
        {
            throw new UsageException($"--model {path}: no such folder.");
        }

        IBackend backend = BackendFactory.Create(settings.Device, settings.Threads, output);
        try
        {
            return await ServeAsync(settings, options, backend, output, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            BackendFactory.Release(backend);
        }
    }

    private static async Task<int> ServeAsync(ServeSettings settings, ServerOptions options, IBackend backend, TextWriter output, CancellationToken cancellationToken)
    {
        ModelDescription model;
        ImageGeneratorFactory factory;
        if (settings.ModelPath is null)
        {
            output.WriteLine(DemoNotice);
            model = ModelDescription.Demo(backend.Name);
            factory = (_, _) => Task.FromResult<IImageGenerator>(new PipelineImageGenerator(ZImagePipeline.CreateDemo(backend)));
        }
        else
        {
            string modelPath = settings.ModelPath;
            model = ModelDescription.Checkpoint(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelPath))), backend.Name);
            var load = new ZImageLoadOptions(backend) { TokenizerPath = settings.TokenizerPath };
            factory = async (progress, ct) => new PipelineImageGenerator(await ZImagePipeline.LoadAsync(modelPath, load, progress, ct).ConfigureAwait(false));
        }

        await using ZImageServer server = ZImageServer.Create(options, model, factory);
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        await server.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>The server options of a command line.</summary>
    internal static ServerOptions ToOptions(ServeSettings settings)
    {
        if (settings.ResultTtlMinutes is not (> 0 and <= 7 * 24 * 60))
        {
            throw new UsageException($"--result-ttl must be between 0 and 10080 minutes (a week), got {settings.ResultTtlMinutes}.");
        }

        return new ServerOptions
        {
            Host = settings.Host,
            Port = settings.Port,
            ApiKey = settings.ApiKey,
            Insecure = settings.Insecure,
            MaxQueue = settings.MaxQueue,
            MaxBatch = settings.MaxBatch,
            Warmup = settings.Warmup,
            OutputDirectory = settings.OutputDirectory is null ? null : Path.GetFullPath(settings.OutputDirectory),
            ResultTtl = TimeSpan.FromMinutes(settings.ResultTtlMinutes),
        };
    }
}
