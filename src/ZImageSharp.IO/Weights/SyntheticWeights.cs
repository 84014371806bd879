using System.Text;
using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Weights;

/// <summary>
/// Deterministic random weights for any name and shape, for the built-in demo model and tests: the same (seed, name,
/// shape) always gives the same values on every machine. Initialisation follows the tiny fixtures' recipe: biases
/// N(0, 0.01²), other 1-D tensors (norm weights) 1 + N(0, 0.04²), embeddings and pad tokens N(0, 1), matrices and
/// convolution kernels N(0, 1/fan_in).
/// </summary>
public static class SyntheticWeights
{
    /// <summary>The values of tensor <paramref name="name"/> of <paramref name="shape"/> for <paramref name="seed"/>.</summary>
    public static float[] Values(string name, Shape shape, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(name);
        var values = new float[checked((int)shape.ElementCount)];
        ulong state = seed ^ Fnv1a(name);
        (double mean, double std) = Distribution(name, shape);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(mean + (std * StandardNormal(ref state)));
        }

        return values;
    }

    /// <summary>The tensor on <paramref name="backend"/> in <paramref name="dtype"/>.</summary>
    public static Tensor Create(string name, Shape shape, ulong seed, IBackend backend, DType dtype)
    {
        ArgumentNullException.ThrowIfNull(backend);
        if (backend is MetaBackend)
        {
            return Tensor.Empty(backend, shape, dtype);
        }

        Tensor f32 = Tensor.From<float>(backend, Values(name, shape, seed), shape);
        if (dtype == DType.F32)
        {
            return f32;
        }

        using (f32)
        {
            return Ops.Cast(f32, dtype);
        }
    }

    /// <summary>The (mean, standard deviation) of tensor <paramref name="name"/>: see the class summary.</summary>
    internal static (double Mean, double Std) Distribution(string name, Shape shape)
    {
        if (name.EndsWith(".bias", StringComparison.Ordinal))
        {
            return (0, 0.01);
        }

        if (name.Contains("pad_token", StringComparison.Ordinal) || name.Contains("embed_tokens", StringComparison.Ordinal))
        {
            return (0, 1);
        }

        if (shape.Rank <= 1)
        {
            return (1, 0.04);
        }

        long fanIn = shape.ElementCount / Math.Max(1, shape[0]);
        return (0, 1.0 / Math.Sqrt(Math.Max(1, fanIn)));
    }

    /// <summary>Box-Muller over a splitmix64 stream (small, portable, and stable across .NET versions).</summary>
    private static double StandardNormal(ref ulong state)
    {
        double u1 = (NextUInt64(ref state) >> 11) * (1.0 / (1UL << 53));
        double u2 = (NextUInt64(ref state) >> 11) * (1.0 / (1UL << 53));
        return Math.Sqrt(-2.0 * Math.Log(1.0 - u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static ulong NextUInt64(ref ulong state)
    {
        ulong z = state += 0x9E37_79B9_7F4A_7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>FNV-1a of the UTF-8 name: the per-tensor part of the seed.</summary>
    internal static ulong Fnv1a(string text)
    {
        ulong hash = 0xCBF2_9CE4_8422_2325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 0x0000_0100_0000_01B3UL;
        }

        return hash;
    }
}
