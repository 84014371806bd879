using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ZImageSharp.Cpu.Diagnostics;
using ZImageSharp.IO.Weights;
using ZImageSharp.Models.Qwen3;
using ZImageSharp.Models.Vae;
using ZImageSharp.Models.ZImage;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cli.Commands.Bench;

/// <summary>
/// <c>zimage bench model --random-weights</c>: the real Z-Image-Turbo architecture at full size (Qwen3-4B with 35 of its
/// 36 layers, the 6.15B S3-DiT in bf16, the Flux VAE decoder in f32) with random weights, so the speed of a real
/// generation can be measured without downloading a checkpoint. The three models are built, run and freed one after
/// another, so the peak is the largest one (the DiT's 12.3 GB) rather than their sum.
/// </summary>
/// <remarks>Times are medians over the runs after the first (which pays first-touch and JIT costs), or the only run.
/// The end-to-end figure adds the text encoder, 8 DiT forwards and one decode.</remarks>
internal static class FullSizeBenchRunner
{
    private const int TurboForwards = 8;
    private const ulong Seed = 0x5EED;

    /// <summary>The stage names <c>--stages</c> accepts, in the order they run.</summary>
    public static IReadOnlyList<string> StageNames { get; } = ["text_encoder", "transformer", "vae_decode"];

    public static int Run(IBackend backend, int threads, int size, int steps, int captionTokens, IReadOnlyList<string> stages, bool json, TextWriter output, CancellationToken cancellationToken)
    {
        if (steps < 1)
        {
            throw new UsageException($"--steps must be at least 1, got {steps}.");
        }

        if (captionTokens is < 1 or > 512)
        {
            throw new UsageException($"--caption-tokens must be between 1 and 512, got {captionTokens}.");
        }

        if (stages.FirstOrDefault(s => !StageNames.Contains(s)) is { } unknown)
        {
            throw new UsageException($"--stages {unknown}: unknown stage; the stages are {string.Join(", ", StageNames)}.");
        }

        double peak = FmaPeak.MeasureGflops(threads, TimeSpan.FromMilliseconds(200), trials: 5);
        var report = new Report(output, json, peak);
        report.Header(size, steps, captionTokens, threads, backend.Name);
        var results = new Dictionary<string, StageResult>();
        foreach (string stage in StageNames.Where(stages.Contains))
        {
            cancellationToken.ThrowIfCancellationRequested();
            StageResult result = stage switch
            {
                "text_encoder" => TextEncoder(backend, captionTokens),
                "transformer" => Transformer(backend, size, steps, captionTokens, cancellationToken),
                _ => Decoder(backend, size),
            };
            report.Stage(result);
            results[stage] = result;
        }

        if (results.Count == StageNames.Count)
        {
            double seconds = results["text_encoder"].Seconds + (TurboForwards * results["transformer"].Seconds) + results["vae_decode"].Seconds;
            report.Total(seconds, results.Values.Max(r => r.PeakBytes));
        }

        return ExitCodes.Success;
    }

    private static StageResult TextEncoder(IBackend backend, int tokens)
    {
        Qwen3Config config = Qwen3Config.Qwen3_4B;
        return Measure(backend, "text_encoder", $"Qwen3-4B, {config.NumHiddenLayers - 1} layers, {tokens} tokens", 1, () =>
        {
            var encoder = ZImageTextEncoder.Load(WeightMap.Random(backend, Seed, DType.BF16), config);
            var random = new Random(1);
            int[] ids = [.. Enumerable.Range(0, tokens).Select(_ => random.Next(0, 151_643))];
            return (encoder, () => DisposeAll(encoder.Encode(backend, [ids])), TextEncoderFlops.Encode(config, encoder.LayerCount, tokens));
        });
    }

    private static StageResult Transformer(IBackend backend, int size, int steps, int captionTokens, CancellationToken cancellationToken)
    {
        ZImageTransformerConfig config = ZImageTransformerConfig.Turbo;
        int latent = size / 8;
        int imageTokens = (size / 16) * (size / 16);
        string what = $"S3-DiT 6.15B bf16, {imageTokens} image + {captionTokens} caption tokens";
        return Measure(backend, "transformer", what, steps, () =>
        {
            var model = ZImageTransformer.Load(WeightMap.Random(backend, Seed + 1, DType.BF16), config);
            Tensor latents = BenchTensors.Random(backend, new Shape(config.InChannels, 1, latent, latent), DType.F32, 2);
            Tensor caption = BenchTensors.Random(backend, new Shape(captionTokens, config.CapFeatDim), DType.F32, 3, scale: 3f);
            Tensor timestep = Tensor.From<float>(backend, [0.25f], new Shape(1));
            var inputs = new DisposableGroup(model, latents, caption, timestep);
            return (inputs, () =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                DisposeAll(model.Forward([latents], timestep, [caption]));
            }, DitFlops.Forward(config, imageTokens, captionTokens));
        });
    }

    private static StageResult Decoder(IBackend backend, int size)
    {
        AutoencoderKlConfig config = AutoencoderKlConfig.Flux;
        int latent = size / config.ScaleFactor;
        return Measure(backend, "vae_decode", $"Flux VAE decoder f32, {size}x{size}", 1, () =>
        {
            var vae = AutoencoderKl.Load(WeightMap.Random(backend, Seed + 2, DType.F32), config, loadEncoder: false);
            Tensor z = BenchTensors.Random(backend, new Shape(1, config.LatentChannels, latent, latent), DType.F32, 4);
            return (new DisposableGroup(vae, z), () => vae.Decode(z).Dispose(), VaeFlops.Decode(config, latent, latent));
        });
    }

    /// <summary>Builds a stage's model, runs it <paramref name="runs"/> times, frees it; the peak is the backend pool's
    /// (live tensors at their most) when it keeps one.</summary>
    private static StageResult Measure(IBackend backend, string stage, string what, int runs, Func<(IDisposable Owner, Action Run, double Flops)> build)
    {
        var pool = backend as IPooledMemoryBackend;
        pool?.ReleaseCachedMemory();
        pool?.ResetPeak();
        var clock = Stopwatch.StartNew();
        (IDisposable owner, Action run, double flops) = build();
        double buildSeconds = clock.Elapsed.TotalSeconds;
        long modelBytes = pool?.Memory.AllocatedBytes ?? 0;
        var times = new List<double>(runs);
        using (owner)
        {
            for (int i = 0; i < runs; i++)
            {
                long start = Stopwatch.GetTimestamp();
                run();
                backend.Synchronize();
                times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
        }

        long peakBytes = pool?.Memory.PeakAllocatedBytes ?? 0;
        pool?.ReleaseCachedMemory();
        List<double> steady = times.Count > 1 ? times[1..] : times;
        steady.Sort();
        return new StageResult(stage, what, buildSeconds, times[0], steady[steady.Count / 2], runs, flops, modelBytes, peakBytes);
    }

    private static void DisposeAll(IReadOnlyList<Tensor> tensors)
    {
        foreach (Tensor t in tensors)
        {
            t.Dispose();
        }
    }

    private sealed record StageResult(string Stage, string What, double BuildSeconds, double FirstSeconds, double Seconds, int Runs, double Flops, long ModelBytes, long PeakBytes)
    {
        public double Gflops => Flops / Seconds / 1e9;
    }

    private sealed class DisposableGroup(params IDisposable[] items) : IDisposable
    {
        public void Dispose()
        {
            foreach (IDisposable item in items)
            {
                item.Dispose();
            }
        }
    }

    /// <summary>Text rows or JSON lines (<c>op</c> = <c>fma_peak</c>, <c>model_stage</c>, <c>model_total</c>).</summary>
    private sealed class Report(TextWriter output, bool json, double peakGflops)
    {
        public void Header(int size, int steps, int captionTokens, int threads, string device)
        {
            if (json)
            {
                Json(w =>
                {
                    w.WriteString("op", "fma_peak");
                    w.WriteNumber("threads", threads);
                    w.WriteNumber("gflops", Math.Round(peakGflops, 2));
                });
                return;
            }

            output.WriteLine(Text($"Z-Image-Turbo at full size with random weights on {device}: {size}x{size}, {captionTokens} caption tokens, {steps} transformer run(s), {threads} threads"));
            output.WriteLine(Text($"FMA peak: {peakGflops:F1} GFLOP/s"));
            output.WriteLine($"{"stage",-13} {"build",8} {"first",9} {"time",9} {"TFLOP",7} {"GFLOP/s",9} {"of peak",7} {"weights",9} {"peak mem",9}  model");
        }

        public void Stage(StageResult r)
        {
            double percent = r.Gflops / peakGflops * 100;
            if (json)
            {
                Json(w =>
                {
                    w.WriteString("op", "model_stage");
                    w.WriteString("stage", r.Stage);
                    w.WriteString("model", r.What);
                    w.WriteNumber("build_seconds", Math.Round(r.BuildSeconds, 3));
                    w.WriteNumber("first_seconds", Math.Round(r.FirstSeconds, 4));
                    w.WriteNumber("seconds", Math.Round(r.Seconds, 4));
                    w.WriteNumber("runs", r.Runs);
                    w.WriteNumber("tflop", Math.Round(r.Flops / 1e12, 4));
                    w.WriteNumber("gflops", Math.Round(r.Gflops, 2));
                    w.WriteNumber("peak_percent", Math.Round(percent, 1));
                    w.WriteNumber("weight_bytes", r.ModelBytes);
                    w.WriteNumber("peak_bytes", r.PeakBytes);
                });
                return;
            }

            output.WriteLine(Text($"{r.Stage,-13} {r.BuildSeconds,7:F1}s {r.FirstSeconds,8:F2}s {r.Seconds,8:F2}s {r.Flops / 1e12,7:F2} {r.Gflops,9:F1} {percent,6:F0}% {Gib(r.ModelBytes),9} {Gib(r.PeakBytes),9}  {r.What}"));
        }

        public void Total(double seconds, long peakBytes)
        {
            if (json)
            {
                Json(w =>
                {
                    w.WriteString("op", "model_total");
                    w.WriteNumber("forwards", TurboForwards);
                    w.WriteNumber("seconds", Math.Round(seconds, 3));
                    w.WriteNumber("peak_bytes", peakBytes);
                });
                return;
            }

            output.WriteLine(Text($"end to end ({TurboForwards} forwards, one prompt, one decode): {seconds:F1} s; peak memory of any stage {Gib(peakBytes)}"));
        }

        private static string Gib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F2} GiB");

        private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

        private void Json(Action<Utf8JsonWriter> write)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                write(w);
                w.WriteEndObject();
            }

            output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }
    }
}
