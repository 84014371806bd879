using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ZImageSharp.Cpu;
using ZImageSharp.Cpu.Diagnostics;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cli.Commands.Bench;

/// <summary>
/// <c>zimage bench ops</c>: the machine's measured FMA peak, then every case of <see cref="OpCatalog"/> (or those whose
/// op or shape contains the filter): one warm-up run, then runs until <c>minSeconds</c> have passed (at least 3);
/// the median run is reported.
/// </summary>
internal static class OpBenchRunner
{
    /// <summary>Prints the cases <see cref="Run"/> would measure (for scripts that time another library per case).</summary>
    public static int List(string? filter, bool json, TextWriter output)
    {
        foreach (OpCase c in Select(filter))
        {
            output.WriteLine(json
                ? JsonSerializer.Serialize(new Dictionary<string, string> { ["op"] = c.Op, ["shape"] = c.Shape, ["dtype"] = c.DType })
                : $"{c.Op,-10} {c.Shape,-24} {c.DType}");
        }

        return ExitCodes.Success;
    }

    /// <summary>Measures the cases on <paramref name="backend"/>; the FMA peak and STREAM bandwidth (the percent column's
    /// denominators) are measured for the CPU only, a GPU's rates are printed without a percent.</summary>
    public static int Run(IBackend backend, string? filter, double minSeconds, bool json, TextWriter output)
    {
        OpCase[] cases = Select(filter);
        if (backend is not CpuBackend cpu)
        {
            if (!json)
            {
                output.WriteLine($"device: {backend.Name} (no peak measured: the percent column is left empty)");
                output.WriteLine(BenchResult.Header);
            }

            foreach (OpCase c in cases)
            {
                BenchResult result = Measure(backend, 0, c, minSeconds, double.NaN, double.NaN);
                output.WriteLine(json ? result.ToJsonLine() : result.ToRow());
            }

            return ExitCodes.Success;
        }

        return RunOnCpu(cpu, cases, minSeconds, json, output);
    }

    private static int RunOnCpu(CpuBackend backend, OpCase[] cases, double minSeconds, bool json, TextWriter output)
    {
        double peak = FmaPeak.MeasureGflops(backend.Threads, TimeSpan.FromSeconds(Math.Clamp(minSeconds, 0.05, 0.5)));
        double bandwidth = MemoryBandwidth.MeasureGbps(backend.Threads);
        if (json)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"op\": \"fma_peak\", \"threads\": {backend.Threads}, \"lanes\": {FmaPeak.Lanes}, \"gflops\": {peak:F2}}}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"op\": \"stream_triad\", \"threads\": {backend.Threads}, \"gbps\": {bandwidth:F2}}}"));
        }
        else
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FMA peak: {peak:F1} GFLOP/s ({backend.Threads} threads, {FmaPeak.Lanes} f32 lanes, {Environment.ProcessorCount} logical cores)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"memory bandwidth (STREAM triad): {bandwidth:F1} GB/s"));
            output.WriteLine(BenchResult.Header);
        }

        foreach (OpCase c in cases)
        {
            BenchResult result = Measure(backend, backend.Threads, c, minSeconds, peak, bandwidth);
            output.WriteLine(json ? result.ToJsonLine() : result.ToRow());
        }

        return ExitCodes.Success;
    }

    private static OpCase[] Select(string? filter)
    {
        OpCase[] cases = [.. OpCatalog.All.Where(c => filter is null
            || c.Op.Contains(filter, StringComparison.OrdinalIgnoreCase)
            || c.Shape.Contains(filter, StringComparison.OrdinalIgnoreCase))];
        if (cases.Length == 0)
        {
            throw new UsageException($"--filter {filter}: no case matches; the ops are {string.Join(", ", OpCatalog.All.Select(c => c.Op).Distinct())}.");
        }

        return cases;
    }

    private static BenchResult Measure(IBackend backend, int threads, OpCase c, double minSeconds, double peak, double bandwidth)
    {
        using OpRun run = c.Prepare(backend);
        run.Run();
        backend.Synchronize();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 3 || (total.Elapsed.TotalSeconds < minSeconds && times.Count < 1000))
        {
            long start = Stopwatch.GetTimestamp();
            run.Run();
            backend.Synchronize();
            times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        times.Sort();
        double median = times[times.Count / 2];
        double? gflops = c.Flops > 0 ? c.Flops / median / 1e9 : null;
        double? gbps = c.Flops > 0 ? null : c.Bytes / median / 1e9;
        double? percent = double.IsNaN(peak) ? null : gflops / peak * 100 ?? gbps / bandwidth * 100;
        return new BenchResult(c.Op, c.Shape, c.DType, threads, median, gflops, gbps, percent);
    }
}
