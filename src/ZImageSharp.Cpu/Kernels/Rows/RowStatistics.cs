using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ZImageSharp.Cpu;

/// <summary>
/// Sums for norms and reductions, vectorised with f64 accumulators: each f32 vector is widened to two f64 vectors,
/// which costs little next to the loads and makes the statistics exact to f64 rounding, so sums of thousands of
/// terms lose nothing to f32 accumulation.
/// </summary>
internal static class RowStatistics
{
    /// <summary>Σ x.</summary>
    public static double Sum(ReadOnlySpan<float> x)
    {
        (double sum, _) = Sums(x, squares: false, 0);
        return sum;
    }

    /// <summary>Σ x².</summary>
    public static double SumOfSquares(ReadOnlySpan<float> x)
    {
        (_, double squares) = Sums(x, squares: true, 0);
        return squares;
    }

    /// <summary>Σ (x − center)², the centring done in f64 (a second pass of a two-pass variance, without writing).</summary>
    public static double SumOfSquaredDeviations(ReadOnlySpan<float> x, double center)
    {
        (_, double squares) = Sums(x, squares: true, center);
        return squares;
    }

    /// <summary>Σ x and Σ (x − center)² in one pass (for a one-pass variance shifted by a guess of the mean).</summary>
    public static (double Sum, double SumOfSquaredDeviations) SumAndSquaredDeviations(ReadOnlySpan<float> x, double center) =>
        Sums(x, squares: true, center);

    private static (double Sum, double SumOfSquares) Sums(ReadOnlySpan<float> x, bool squares, double center)
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        int n = x.Length;
        int i = 0;
        double sum = 0;
        double sq = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            Vector512<double> s = Vector512<double>.Zero;
            Vector512<double> q = Vector512<double>.Zero;
            Vector512<double> c = Vector512.Create(center);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                (Vector512<double> lo, Vector512<double> hi) = Vector512.Widen(Vector512.LoadUnsafe(ref xs, (nuint)i));
                s += lo + hi;
                if (squares)
                {
                    lo -= c;
                    hi -= c;
                    q += (lo * lo) + (hi * hi);
                }
            }

            sum = Vector512.Sum(s);
            sq = Vector512.Sum(q);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            Vector256<double> s = Vector256<double>.Zero;
            Vector256<double> q = Vector256<double>.Zero;
            Vector256<double> c = Vector256.Create(center);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref xs, (nuint)i));
                s += lo + hi;
                if (squares)
                {
                    lo -= c;
                    hi -= c;
                    q += (lo * lo) + (hi * hi);
                }
            }

            sum = Vector256.Sum(s);
            sq = Vector256.Sum(q);
        }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            Vector128<double> s = Vector128<double>.Zero;
            Vector128<double> q = Vector128<double>.Zero;
            Vector128<double> c = Vector128.Create(center);
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                (Vector128<double> lo, Vector128<double> hi) = Vector128.Widen(Vector128.LoadUnsafe(ref xs, (nuint)i));
                s += lo + hi;
                if (squares)
                {
                    lo -= c;
                    hi -= c;
                    q += (lo * lo) + (hi * hi);
                }
            }

            sum = Vector128.Sum(s);
            sq = Vector128.Sum(q);
        }

        for (; i < n; i++)
        {
            double v = x[i];
            sum += v;
            sq += (v - center) * (v - center);
        }

        return (sum, sq);
    }
}
