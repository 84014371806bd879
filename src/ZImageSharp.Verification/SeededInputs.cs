using ZImageSharp.Tensors;
using ZImageSharp.Verification.Reference;

namespace ZImageSharp.Verification;

/// <summary>
/// Deterministic case inputs: a fixed generator per (case seed, input) so every run, machine and backend sees the same
/// values, rounded on the host to the input's dtype (so the backend under test and the reference read identical numbers).
/// </summary>
public static class SeededInputs
{
    /// <summary>Normal values with standard deviation <paramref name="scale"/> (Box–Muller over <see cref="Random"/>(seed)).</summary>
    public static HostInput Normal(int seed, DType dtype, int[] shape, double scale = 1.0, double mean = 0.0)
    {
        var random = new Random(seed);
        var values = new double[Count(shape)];
        for (int i = 0; i < values.Length; i += 2)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            double r = Math.Sqrt(-2.0 * Math.Log(u1));
            values[i] = mean + (scale * r * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < values.Length)
            {
                values[i + 1] = mean + (scale * r * Math.Sin(2 * Math.PI * u2));
            }
        }

        return Rounded(dtype, shape, values);
    }

    /// <summary>Uniform values in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static HostInput Uniform(int seed, DType dtype, int[] shape, double low, double high)
    {
        var random = new Random(seed);
        var values = new double[Count(shape)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = low + ((high - low) * random.NextDouble());
        }

        return Rounded(dtype, shape, values);
    }

    /// <summary>Integers in [0, <paramref name="bound"/>) (indices, masks) of an integer dtype.</summary>
    public static HostInput Integers(int seed, DType dtype, int[] shape, int bound)
    {
        var random = new Random(seed);
        var values = new double[Count(shape)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.Next(bound);
        }

        return new HostInput(shape, dtype, values);
    }

    /// <summary>Given values (rounded to the dtype).</summary>
    public static HostInput Of(DType dtype, int[] shape, double[] values) => Rounded(dtype, shape, values);

    private static HostInput Rounded(DType dtype, int[] shape, double[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ReferenceOps.RoundTo(values[i], dtype);
        }

        return new HostInput(shape, dtype, values);
    }

    private static int Count(int[] shape)
    {
        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
        }

        return checked((int)count);
    }
}
