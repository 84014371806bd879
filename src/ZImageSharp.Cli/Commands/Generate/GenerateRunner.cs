using System.Diagnostics;
using ZImageSharp.IO.Images;
using ZImageSharp.Pipelines;
using ZImageSharp.Pipelines.Loading;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cli.Commands.Generate;

/// <summary>
/// One <c>zimage generate</c> run: check everything cheap first (request, output folder, device), then load or build
/// the model, generate with a progress display, write the PNGs (parameters in text chunks) and report time and memory.
/// </summary>
internal static class GenerateRunner
{
    /// <summary>Runs the command; returns the exit code (errors surface as exceptions, which <see cref="CliApp"/> reports).</summary>
    public static async Task<int> RunAsync(GenerateSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ZImagePipeline.Validate(settings.Request, ZImagePipeline.ZImageSizeMultiple);
        ulong seed = settings.Request.Seed ?? (ulong)Random.Shared.NextInt64(0, 1L << 53);
        GenerationRequest request = settings.Request with { Seed = seed };
        IReadOnlyList<string> paths = OutputPaths.For(settings.Output, seed, request.Count);
        OutputPaths.Prepare(paths);
        IBackend backend = BackendFactory.Create(settings.Device, settings.Threads, output);
        try
        {
            return await RunOnAsync(settings, backend, request, paths, seed, output, error, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            BackendFactory.Release(backend);
        }
    }

    private static async Task<int> RunOnAsync(GenerateSettings settings, IBackend backend, GenerationRequest request, IReadOnlyList<string> paths, ulong seed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        bool demo = settings.ModelPath is null;
        if (demo)
        {
            output.WriteLine(DemoNotice);
        }

        GenerateDisplay display = settings.Quiet ? new PlainDisplay(TextWriter.Null)
            : LiveDisplay.IsSupportedOn(output) ? LiveDisplay.OnConsole()
            : new PlainDisplay(output);
        try
        {
            RunReport report = await display.RunAsync(() => LoadAndGenerateAsync(settings, backend, request, display, cancellationToken)).ConfigureAwait(false);
            GenerationResult result = report.Result;
            // The folder's name only: a full path would put the user's directory layout into every shared image.
            string model = demo ? DemoModel.Description : Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(settings.ModelPath!)));
            for (int i = 0; i < result.Images.Count; i++)
            {
                Save(paths[i], result.Images[i], ImageMetadata.For(result, i, model));
                output.WriteLine($"saved {paths[i]} ({result.Images[i].Width}x{result.Images[i].Height}, seed {seed}{(result.Images.Count > 1 ? $", image {i + 1} of {result.Images.Count}" : string.Empty)})");
            }

            foreach (string warning in result.Warnings)
            {
                output.WriteLine($"note: {warning}");
            }

            report.WriteTo(output);
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine("zimage: cancelled; no image written.");
            return ExitCodes.Cancelled;
        }
    }

    /// <summary>Said before a demo run, so nobody mistakes the abstract result for a broken model.</summary>
    internal const string DemoNotice =
        "note: no --model given (and $" + TokenizeCommand.ModelVariable + " is not set): using the built-in demo model, the real Z-Image " +
        "architecture at toy size with random weights. Its images are abstract patterns, not your prompt. For real images, " +
        "download Tongyi-MAI/Z-Image-Turbo (the diffusers folder, or the ComfyUI files) and pass --model DIR.";

    private static async Task<RunReport> LoadAndGenerateAsync(GenerateSettings settings, IBackend backend, GenerationRequest request, GenerateDisplay display, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (settings.ModelPath is null)
        {
            display.Loading.Report("demo model");
        }

        using ZImagePipeline pipeline = settings.ModelPath is null
            ? ZImagePipeline.CreateDemo(backend)
            : await ZImagePipeline.LoadAsync(settings.ModelPath, new ZImageLoadOptions(backend) { TokenizerPath = settings.TokenizerPath }, display.Loading, cancellationToken).ConfigureAwait(false);
        TimeSpan load = clock.Elapsed;
        long peakAfterLoad = RunReport.PeakMemory();
        GenerationResult result = await pipeline.GenerateAsync(request, display, cancellationToken).ConfigureAwait(false);
        return new RunReport(load, peakAfterLoad, Math.Max(peakAfterLoad, RunReport.PeakMemory()), result);
    }

    /// <summary>Writes to a temporary file first, so an interrupted write never leaves a truncated PNG under the real name.</summary>
    private static void Save(string path, GeneratedImage image, IEnumerable<KeyValuePair<string, string>> text)
    {
        string temporary = path + ".partial";
        PngWriter.Save(temporary, image.Rgb, image.Width, image.Height, PngColorType.Rgb, text);
        File.Move(temporary, path, overwrite: true);
    }
}
