using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ZImageSharp.Cli.Commands.Generate;
using ZImageSharp.Tensors;
using ZImageSharp.Pipelines;
using ZImageSharp.Pipelines.Loading;

namespace ZImageSharp.Cli.Commands.Bench;

/// <summary>
/// <c>zimage bench model</c>: loads a checkpoint (or the demo), runs one warm-up generation of one step, then the
/// measured generation; prints per-stage and per-step times, the transformer's GFLOP/s and the peak memory.
/// </summary>
internal static class ModelBenchRunner
{
    private const string Prompt = "a red fox in snow, golden hour, detailed fur";

    public static async Task<int> RunAsync(IBackend backend, string? modelPath, int size, int steps, bool warmUp, bool json, TextWriter output, CancellationToken cancellationToken)
    {
        var request = new GenerationRequest(Prompt) { Width = size, Height = size, Steps = steps, Seed = 0 };
        ZImagePipeline.Validate(request, ZImagePipeline.ZImageSizeMultiple);

        var clock = Stopwatch.StartNew();
        using ZImagePipeline pipeline = modelPath is null
            ? ZImagePipeline.CreateDemo(backend)
            : await ZImagePipeline.LoadAsync(modelPath, new ZImageLoadOptions(backend), cancellationToken: cancellationToken).ConfigureAwait(false);
        TimeSpan load = clock.Elapsed;
        long peakAfterLoad = RunReport.PeakMemory();
        if (warmUp)
        {
            await pipeline.GenerateAsync(request with { Steps = 1 }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        GenerationResult result = await pipeline.GenerateAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        // The peak in all can never be below the peak after loading, whatever the platform's counter does.
        long peak = Math.Max(peakAfterLoad, RunReport.PeakMemory());

        int patch = pipeline.SizeMultiple;
        int imageTokens = size / patch * (size / patch);
        double stepSeconds = result.Timings[GenerationStage.Denoising].TotalSeconds / result.Forwards;
        double ditGflops = DitFlops.Forward(pipeline.Components.Transformer.Config, imageTokens, result.PromptTokens) / stepSeconds / 1e9;
        string model = pipeline.IsDemo ? DemoModel.Description : modelPath!;
        if (json)
        {
            WriteJson(output, model, size, result, BackendFactory.ThreadsOf(backend) ?? 0, load, stepSeconds, ditGflops, peakAfterLoad, peak);
            return ExitCodes.Success;
        }

        output.WriteLine($"model: {model}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{size}x{size}, {result.Forwards} steps, {Where(backend)}; {imageTokens} image tokens, {result.PromptTokens} prompt tokens{(warmUp ? "; after a 1-step warm-up" : string.Empty)}"));
        new RunReport(load, peakAfterLoad, peak, result).WriteTo(output);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"transformer: {stepSeconds:F3} s/step, {ditGflops:F1} GFLOP/s"));
        return ExitCodes.Success;
    }

    private static string Where(IBackend backend) => BackendFactory.ThreadsOf(backend) is { } threads ? $"{threads} threads" : backend.Name;

    private static void WriteJson(TextWriter output, string model, int size, GenerationResult result, int threads, TimeSpan load, double stepSeconds, double ditGflops, long peakAfterLoad, long peak)
    {
        double Seconds(GenerationStage stage) => Math.Round(result.Timings.GetValueOrDefault(stage).TotalSeconds, 6);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("op", "model");
            json.WriteString("model", model);
            json.WriteNumber("size", size);
            json.WriteNumber("steps", result.Forwards);
            json.WriteNumber("threads", threads);
            json.WriteNumber("prompt_tokens", result.PromptTokens);
            json.WriteNumber("load_seconds", Math.Round(load.TotalSeconds, 6));
            json.WriteNumber("prompt_seconds", Seconds(GenerationStage.EncodingPrompt));
            json.WriteNumber("denoise_seconds", Seconds(GenerationStage.Denoising));
            json.WriteNumber("step_seconds", Math.Round(stepSeconds, 6));
            json.WriteNumber("decode_seconds", Seconds(GenerationStage.Decoding));
            json.WriteNumber("dit_gflops", Math.Round(ditGflops, 2));
            json.WriteNumber("peak_bytes_after_load", peakAfterLoad);
            json.WriteNumber("peak_bytes", peak);
            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
