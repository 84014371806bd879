using System.Diagnostics;
using ZImageSharp.Tensors;

namespace ZImageSharp.Verification;

/// <summary>One throughput measurement of the backend under test.</summary>
/// <param name="Name">"gemm" or "copy".</param>
/// <param name="What">Shape and dtype.</param>
/// <param name="Seconds">The best of the timed runs.</param>
/// <param name="Rate">TFLOP/s for the GEMM, GB/s (bytes read + written) for the copy.</param>
/// <param name="Unit">"TFLOP/s" or "GB/s".</param>
public sealed record ThroughputProbe(string Name, string What, double Seconds, double Rate, string Unit)
{
    /// <summary>An n×n·n×n matmul of <paramref name="dtype"/>, best of <paramref name="runs"/> after one warm-up,
    /// each run bracketed by <see cref="IBackend.Synchronize"/> so queued GPU work is inside the time.</summary>
    public static ThroughputProbe Gemm(IBackend backend, int n, DType dtype, int runs = 5)
    {
        ArgumentNullException.ThrowIfNull(backend);
        using Tensor a = HostTransfer.Upload(backend, SeededInputs.Normal(1, dtype, [n, n], 0.05));
        using Tensor b = HostTransfer.Upload(backend, SeededInputs.Normal(2, dtype, [n, n], 0.05));
        double best = Best(backend, runs, () => Ops.MatMul(a, b).Dispose());
        return new ThroughputProbe("gemm", $"{n}x{n}x{n} {dtype.ToString().ToLowerInvariant()}", best, 2.0 * n * n * n / best / 1e12, "TFLOP/s");
    }

    /// <summary>A device-to-device copy of <paramref name="megabytes"/> MB of f32 (a contiguous clone), best of
    /// <paramref name="runs"/>; the rate counts the bytes read and written.</summary>
    public static ThroughputProbe Copy(IBackend backend, int megabytes, int runs = 5)
    {
        ArgumentNullException.ThrowIfNull(backend);
        int elements = megabytes * (1 << 20) / sizeof(float);
        using Tensor source = HostTransfer.Upload(backend, SeededInputs.Uniform(3, DType.F32, [elements], -1, 1));
        using Tensor destination = Tensor.Empty(backend, source.Shape, DType.F32);
        double best = Best(backend, runs, () => Ops.Copy(source, destination));
        return new ThroughputProbe("copy", $"{megabytes} MiB f32", best, 2.0 * elements * sizeof(float) / best / 1e9, "GB/s");
    }

    private static double Best(IBackend backend, int runs, Action run)
    {
        run();
        backend.Synchronize();
        double best = double.PositiveInfinity;
        for (int i = 0; i < Math.Max(runs, 1); i++)
        {
            backend.Synchronize();
            long start = Stopwatch.GetTimestamp();
            run();
            backend.Synchronize();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        return best;
    }
}
