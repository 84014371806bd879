using System.CommandLine;
using ZImageSharp.Cli.Commands.Bench;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cli.Commands;

/// <summary><c>zimage bench ops|model</c>: kernel rates against the machine's FMA peak, and whole-pipeline timings.</summary>
internal static class BenchCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("bench", "Measure kernel rates (ops) or a whole generation (model) on this machine.");
        command.Subcommands.Add(Ops());
        command.Subcommands.Add(Model());
        return command;
    }

    private static Option<bool> Json() => new("--json") { Description = "One JSON object per line (op, shape, dtype, threads, seconds, gflops or gbps)." };

    private static Option<int?> Threads() => new("--threads") { Description = "CPU threads (default: all cores).", HelpName = "N" };

    private static Command Ops()
    {
        var filter = new Option<string?>("--filter") { Description = "Only cases whose op or shape contains this text (e.g. linear, attention, 4224).", HelpName = "TEXT" };
        var minTime = new Option<double>("--min-time") { Description = "Seconds to repeat each case for (at least 3 runs; the median is reported).", DefaultValueFactory = _ => 1.0, HelpName = "S" };
        var list = new Option<bool>("--list") { Description = "Print the cases (op, shape, dtype; JSON lines with --json) without running them." };
        var json = Json();
        var threads = Threads();
        Option<string> device = BackendFactory.DeviceOption();
        var command = new Command("ops", "GFLOP/s (or GB/s) per op and shape, and the percent of the measured FMA peak.") { filter, minTime, list, json, threads, device };
        command.SetAction(parse =>
        {
            if (parse.GetValue(list))
            {
                return OpBenchRunner.List(parse.GetValue(filter), parse.GetValue(json), parse.InvocationConfiguration.Output);
            }

            IBackend backend = Backend(parse, device, threads);
            try
            {
                return OpBenchRunner.Run(backend, parse.GetValue(filter), parse.GetValue(minTime), parse.GetValue(json), parse.InvocationConfiguration.Output);
            }
            finally
            {
                BackendFactory.Release(backend);
            }
        });
        return command;
    }

    private static Command Model()
    {
        var model = new Option<string?>("--model", "-m") { Description = $"A Z-Image checkpoint (default: ${TokenizeCommand.ModelVariable}; none = built-in demo).", HelpName = "DIR" };
        var size = new Option<int>("--size") { Description = "Image width and height.", DefaultValueFactory = _ => 512, HelpName = "PX" };
        var steps = new Option<int>("--steps") { Description = "Denoising steps to time.", DefaultValueFactory = _ => 2, HelpName = "N" };
        var noWarmUp = new Option<bool>("--no-warmup") { Description = "Skip the 1-step warm-up generation (then JIT compilation is in the times)." };
        var randomWeights = new Option<bool>("--random-weights") { Description = "Time the real full-size architecture (Qwen3-4B, the 6.15B DiT in bf16, the Flux VAE) with random weights, one model at a time; needs ~13 GB of memory." };
        var captionTokens = new Option<int>("--caption-tokens") { Description = "With --random-weights: prompt length in tokens, template included.", DefaultValueFactory = _ => 108, HelpName = "N" };
        var stages = new Option<string>("--stages") { Description = $"With --random-weights: the stages to run, comma-separated ({string.Join(",", FullSizeBenchRunner.StageNames)}).", DefaultValueFactory = _ => string.Join(",", FullSizeBenchRunner.StageNames), HelpName = "LIST" };
        var json = Json();
        var threads = Threads();
        Option<string> device = BackendFactory.DeviceOption();
        var command = new Command("model", "Per-stage and per-step times, transformer GFLOP/s and peak memory of one generation.") { model, size, steps, noWarmUp, randomWeights, captionTokens, stages, json, threads, device };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // The cheap checks come before a GPU is opened.
            int px = parse.GetValue(size);
            if (px < 16 || px % 16 != 0)
            {
                throw new UsageException($"--size must be a positive multiple of 16, got {px}.");
            }

            bool random = parse.GetValue(randomWeights);
            string? modelPath = parse.GetValue(model) ?? (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TokenizeCommand.ModelVariable)) ? null : Environment.GetEnvironmentVariable(TokenizeCommand.ModelVariable));
            if (random && parse.GetValue(model) is not null)
            {
                throw new UsageException("--random-weights builds the models itself: leave out --model.");
            }

            IBackend backend = Backend(parse, device, threads);
            try
            {
                if (random)
                {
                    string[] only = parse.GetValue(stages)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    return FullSizeBenchRunner.Run(backend, BackendFactory.ThreadsOf(backend) ?? 0, px, parse.GetValue(steps), parse.GetValue(captionTokens), only, parse.GetValue(json), parse.InvocationConfiguration.Output, cancellationToken);
                }

                return await ModelBenchRunner.RunAsync(backend, modelPath, px, parse.GetValue(steps), !parse.GetValue(noWarmUp), parse.GetValue(json), parse.InvocationConfiguration.Output, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                BackendFactory.Release(backend);
            }
        });
        return command;
    }

    // Notes (the auto fallback) go to stderr so that --json output stays one JSON object per line.
    private static IBackend Backend(ParseResult parse, Option<string> device, Option<int?> threads)
        => BackendFactory.Create(parse.GetValue(device)!, parse.GetValue(threads), parse.InvocationConfiguration.Error);
}
