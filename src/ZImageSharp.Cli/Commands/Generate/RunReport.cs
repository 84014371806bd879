using System.Diagnostics;
using System.Globalization;
using ZImageSharp.Pipelines;

namespace ZImageSharp.Cli.Commands.Generate;

/// <summary>What a run cost: time per stage (loading included) and the process's peak resident memory.</summary>
/// <param name="Load">Time to load (or build) the model.</param>
/// <param name="PeakAfterLoad">Peak resident bytes when loading had finished.</param>
/// <param name="PeakTotal">Peak resident bytes at the end.</param>
/// <param name="Result">The generation.</param>
internal sealed record RunReport(TimeSpan Load, long PeakAfterLoad, long PeakTotal, GenerationResult Result)
{
    /// <summary>The process's peak resident set so far (VmHWM on Linux).</summary>
    public static long PeakMemory()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    /// <summary>Writes the time and memory lines.</summary>
    public void WriteTo(TextWriter output)
    {
        IReadOnlyDictionary<GenerationStage, TimeSpan> t = Result.Timings;
        TimeSpan Of(GenerationStage stage) => t.GetValueOrDefault(stage);
        TimeSpan denoise = Of(GenerationStage.Denoising);
        TimeSpan total = Load + t.Values.Aggregate(TimeSpan.Zero, (a, b) => a + b);
        string perStep = Result.Forwards > 0 ? $", {Seconds(denoise / Result.Forwards)}/step" : string.Empty;
        output.WriteLine(
            $"time: load {Seconds(Load)} · prompt {Seconds(Of(GenerationStage.EncodingPrompt))} · " +
            $"denoise {Seconds(denoise)} ({Result.Forwards} steps{perStep}) · decode {Seconds(Of(GenerationStage.Decoding))} · total {Seconds(total)}");
        output.WriteLine($"peak memory: {Bytes(PeakAfterLoad)} after loading, {Bytes(PeakTotal)} in all (resident)");
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds switch
    {
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:F0} ms"),
        < 100 => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:F2} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:F0} s"),
    };

    private static string Bytes(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F2} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F0} MiB");
}
