using System.Diagnostics;
using System.Numerics.Tensors;

namespace ZImageSharp.Cpu.Diagnostics;

/// <summary>
/// Measures this machine's sustained memory bandwidth with the STREAM "triad" d = a + s·b over three 64 MiB arrays
/// (well beyond any last-level cache), split across threads. Memory-bound kernels are judged against it the way
/// compute-bound ones are judged against <see cref="FmaPeak"/>. Bytes counted: 2 reads + 1 write per element (a
/// write-allocate read is not counted, as STREAM does not).
/// </summary>
public static class MemoryBandwidth
{
    private const int Elements = 16 << 20;

    /// <summary>GB/s of the best of <paramref name="trials"/> triads on <paramref name="threads"/> threads.</summary>
    public static unsafe double MeasureGbps(int threads, int trials = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        var parallel = new CpuParallel(threads);
        using NativeMemoryHandle a = NativeMemoryHandle.Allocate(Elements * sizeof(float));
        using NativeMemoryHandle b = NativeMemoryHandle.Allocate(Elements * sizeof(float));
        using NativeMemoryHandle d = NativeMemoryHandle.Allocate(Elements * sizeof(float));
        float* pa = (float*)a.DangerousGetHandle();
        float* pb = (float*)b.DangerousGetHandle();
        float* pd = (float*)d.DangerousGetHandle();

        // First touch (page faults) on the threads that later use the pages, outside the timing.
        parallel.For(Elements, 1 << 16, (start, end) =>
        {
            int n = (int)(end - start);
            new Span<float>(pa + start, n).Fill(1f);
            new Span<float>(pb + start, n).Fill(2f);
            new Span<float>(pd + start, n).Clear();
        });

        double best = double.MaxValue;
        for (int t = 0; t <= trials; t++)
        {
            long begin = Stopwatch.GetTimestamp();
            parallel.For(Elements, 1 << 16, (start, end) =>
            {
                int n = (int)(end - start);
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(pb + start, n), 3f, new ReadOnlySpan<float>(pa + start, n), new Span<float>(pd + start, n));
            });
            double seconds = Stopwatch.GetElapsedTime(begin).TotalSeconds;
            if (t > 0)
            {
                best = Math.Min(best, seconds); // trial 0 warms the code and the thread pool
            }
        }

        return 3.0 * Elements * sizeof(float) / best / 1e9;
    }
}
