using System.Globalization;
using System.Text;
using Xunit;
using ZImageSharp.Tensors;

namespace ZImageSharp.Testing;

/// <summary>Comparisons of tensors with references that report the evidence (worst elements, NMSE) on failure.</summary>
public static class TensorAssert
{
    /// <summary>Asserts <paramref name="actual"/> matches <paramref name="expected"/> (shape and values) within <paramref name="tolerance"/>.</summary>
    public static void Close(HostTensor expected, Tensor actual, Tolerance tolerance, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        Assert.Equal(expected.Shape, actual.Shape.ToArray());
        Close(expected.Data, actual.ToFloatArray(), tolerance, what ?? actual.ToString());
    }

    /// <summary>Asserts two tensors match within <paramref name="tolerance"/> (the first is the reference).</summary>
    public static void Close(Tensor expected, Tensor actual, Tolerance tolerance, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        Close(HostTensor.FromTensor(expected), actual, tolerance, what);
    }

    /// <summary>Asserts arrays match element-wise and in NMSE.</summary>
    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, Tolerance tolerance, string what)
    {
        ArgumentNullException.ThrowIfNull(tolerance);
        Assert.Equal(expected.Length, actual.Length);
        double errSq = 0;
        double refSq = 0;
        int failures = 0;
        var report = new StringBuilder();
        double worst = 0;
        int worstIndex = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i];
            double a = actual[i];
            bool bothNaN = double.IsNaN(e) && double.IsNaN(a);
            bool sameInf = double.IsInfinity(e) && e == a;
            if (bothNaN || sameInf)
            {
                continue;
            }

            double diff = Math.Abs(a - e);
            double bound = tolerance.Absolute + (tolerance.Relative * Math.Abs(e));
            if (double.IsNaN(diff) || diff > bound)
            {
                if (failures < 8)
                {
                    report.Append(CultureInfo.InvariantCulture, $"\n  [{i}] expected {e:G9}, actual {a:G9}, |diff| {diff:G3} > {bound:G3}");
                }

                failures++;
            }

            double excess = bound > 0 ? diff / bound : diff;
            if (double.IsNaN(excess) || excess > worst)
            {
                worst = double.IsNaN(excess) ? double.PositiveInfinity : excess;
                worstIndex = i;
            }

            errSq += (a - e) * (a - e);
            refSq += e * e;
        }

        double nmse = refSq > 0 ? errSq / refSq : errSq;
        if (failures > 0 || nmse > tolerance.MaxNmse || double.IsNaN(nmse))
        {
            Assert.Fail($"{what}: {failures} of {expected.Length} elements outside {tolerance}; NMSE {nmse:G3} " +
                        $"(worst at [{worstIndex}], {worst:G3}× the bound){report}");
        }
    }

    /// <summary>Asserts exact equality of all elements.</summary>
    public static void Equal<T>(ReadOnlySpan<T> expected, Tensor actual)
        where T : unmanaged, IEquatable<T>
    {
        ArgumentNullException.ThrowIfNull(actual);
        T[] values = actual.ToArray<T>();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            if (!expected[i].Equals(values[i]))
            {
                Assert.Fail($"{actual}: element [{i}] is {values[i]}, expected {expected[i]}.");
            }
        }
    }
}
