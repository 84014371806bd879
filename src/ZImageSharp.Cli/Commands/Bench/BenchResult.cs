using System.Globalization;
using System.Text.Json;

namespace ZImageSharp.Cli.Commands.Bench;

/// <summary>One measured case: its median time and the rate that time gives (GFLOP/s for compute, GB/s for memory-bound ops).</summary>
/// <param name="Op">The op (matmul, linear, attention, conv2d, add, rmsnorm, ...).</param>
/// <param name="Shape">The case's shape in words (e.g. 4224x3840x10240 for M×K×N).</param>
/// <param name="DType">Activation (× weight) dtypes.</param>
/// <param name="Threads">Worker threads.</param>
/// <param name="Seconds">Median wall time of one run.</param>
/// <param name="Gflops">Useful GFLOP/s, or null for a memory-bound op.</param>
/// <param name="Gbps">GB/s of bytes read and written, or null for a compute-bound op.</param>
/// <param name="PeakPercent">GFLOP/s as a percent of the measured FMA peak, or GB/s as a percent of the measured
/// STREAM triad bandwidth.</param>
internal sealed record BenchResult(string Op, string Shape, string DType, int Threads, double Seconds, double? Gflops, double? Gbps, double? PeakPercent)
{
    /// <summary>One JSON object on one line (the format scripts compare runs with).</summary>
    public string ToJsonLine()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("op", Op);
            json.WriteString("shape", Shape);
            json.WriteString("dtype", DType);
            json.WriteNumber("threads", Threads);
            json.WriteNumber("seconds", Math.Round(Seconds, 6));
            if (Gflops is { } g)
            {
                json.WriteNumber("gflops", Math.Round(g, 2));
            }

            if (Gbps is { } b)
            {
                json.WriteNumber("gbps", Math.Round(b, 2));
            }

            if (PeakPercent is { } p)
            {
                json.WriteNumber(Gflops is null ? "bandwidth_percent" : "peak_percent", Math.Round(p, 1));
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>One row of the text table.</summary>
    public string ToRow() => string.Create(CultureInfo.InvariantCulture, $"{Op,-10} {Shape,-24} {DType,-9} {Time(Seconds),10} {Rate,16} {Percent,7}");

    /// <summary>The header of the text table.</summary>
    public static string Header => $"{"op",-10} {"shape",-24} {"dtype",-9} {"time",10} {"rate",16} {"of peak",7}";

    private string Rate => Gflops is { } g
        ? string.Create(CultureInfo.InvariantCulture, $"{g:F1} GFLOP/s")
        : string.Create(CultureInfo.InvariantCulture, $"{Gbps ?? 0:F1} GB/s");

    private string Percent => PeakPercent is { } p ? string.Create(CultureInfo.InvariantCulture, $"{p:F0}%") : string.Empty;

    private static string Time(double seconds) => seconds < 1e-3
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e6:F0} µs")
        : seconds < 1 ? string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e3:F1} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds:F2} s");
}
