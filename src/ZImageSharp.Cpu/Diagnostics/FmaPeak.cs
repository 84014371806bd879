using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ZImageSharp.Cpu.Diagnostics;

/// <summary>
/// Measures this machine's f32 FMA throughput: every thread runs independent fused multiply-add chains on the widest
/// vectors the JIT accelerates (enough chains to hide the FMA latency), nothing touches memory. The result is the
/// ceiling the kernels are judged against ("percent of peak") — measured, not taken from a data sheet, so turbo
/// clocks, AVX-512 down-clocking and a VM's real core count are all in it.
/// </summary>
public static class FmaPeak
{
    // 12 chains × 4-cycle latency covers 2 FMA ports (8 in flight) with room to spare.
    private const int Chains = 12;
    private const int InnerIterations = 1 << 14;

    /// <summary>The vector width the probe used, in f32 lanes (16 with AVX-512, 8 with AVX2, ...).</summary>
    public static int Lanes => Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : Vector<float>.Count;

    /// <summary>GFLOP/s (an FMA counts 2) of <paramref name="threads"/> threads: the best of <paramref name="trials"/>
    /// trials in which every thread runs for about <paramref name="duration"/>.</summary>
    /// <remarks>The best, not the mean: on a shared or virtual machine a trial can only lose cycles (another process,
    /// a descheduled vCPU), never gain them, so the fastest trial is the closest to what the hardware can do.</remarks>
    public static double MeasureGflops(int threads, TimeSpan duration, int trials = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        double best = 0;
        for (int t = 0; t < trials; t++)
        {
            best = Math.Max(best, MeasureOnce(threads, duration));
        }

        return best;
    }

    private static double MeasureOnce(int threads, TimeSpan duration)
    {
        var flops = new double[threads];
        var seconds = new double[threads];
        using var start = new Barrier(threads);
        var workers = new Thread[threads];
        for (int i = 0; i < threads; i++)
        {
            int index = i;
            workers[i] = new Thread(() =>
            {
                Run(TimeSpan.FromMilliseconds(20)); // warm the JIT and the clocks
                start.SignalAndWait();
                var clock = Stopwatch.StartNew();
                flops[index] = Run(duration);
                seconds[index] = clock.Elapsed.TotalSeconds;
            }) { IsBackground = true };
            workers[i].Start();
        }

        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        // Threads run concurrently: the machine rate is the sum of each thread's rate.
        double total = 0;
        for (int i = 0; i < threads; i++)
        {
            total += flops[i] / seconds[i];
        }

        return total / 1e9;
    }

    private static double Run(TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        double flops = 0;
        float sink = 0;
        while (clock.Elapsed < duration)
        {
            sink += Vector512.IsHardwareAccelerated ? Chains512() : Vector256.IsHardwareAccelerated ? Chains256() : ChainsPortable();
            flops += 2.0 * Chains * Lanes * InnerIterations;
        }

        Sink = sink;
        return flops;
    }

    /// <summary>Keeps the results observable so the loops cannot be removed.</summary>
    private static float Sink { get; set; }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Chains512()
    {
        Vector512<float> m = Vector512.Create(0.999999f), c = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        Vector512<float> a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (int i = 0; i < InnerIterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c); a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c); a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }

        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Chains256()
    {
        Vector256<float> m = Vector256.Create(0.999999f), c = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        Vector256<float> a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (int i = 0; i < InnerIterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, c); a1 = Vector256.FusedMultiplyAdd(a1, m, c);
            a2 = Vector256.FusedMultiplyAdd(a2, m, c); a3 = Vector256.FusedMultiplyAdd(a3, m, c);
            a4 = Vector256.FusedMultiplyAdd(a4, m, c); a5 = Vector256.FusedMultiplyAdd(a5, m, c);
            a6 = Vector256.FusedMultiplyAdd(a6, m, c); a7 = Vector256.FusedMultiplyAdd(a7, m, c);
            a8 = Vector256.FusedMultiplyAdd(a8, m, c); a9 = Vector256.FusedMultiplyAdd(a9, m, c);
            a10 = Vector256.FusedMultiplyAdd(a10, m, c); a11 = Vector256.FusedMultiplyAdd(a11, m, c);
        }

        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float ChainsPortable()
    {
        Vector<float> m = new(0.999999f), c = new(1e-7f);
        Vector<float> a0 = Vector<float>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        Vector<float> a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (int i = 0; i < InnerIterations; i++)
        {
            a0 = Vector.FusedMultiplyAdd(a0, m, c); a1 = Vector.FusedMultiplyAdd(a1, m, c);
            a2 = Vector.FusedMultiplyAdd(a2, m, c); a3 = Vector.FusedMultiplyAdd(a3, m, c);
            a4 = Vector.FusedMultiplyAdd(a4, m, c); a5 = Vector.FusedMultiplyAdd(a5, m, c);
            a6 = Vector.FusedMultiplyAdd(a6, m, c); a7 = Vector.FusedMultiplyAdd(a7, m, c);
            a8 = Vector.FusedMultiplyAdd(a8, m, c); a9 = Vector.FusedMultiplyAdd(a9, m, c);
            a10 = Vector.FusedMultiplyAdd(a10, m, c); a11 = Vector.FusedMultiplyAdd(a11, m, c);
        }

        return Vector.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
