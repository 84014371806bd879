using ZImageSharp.Tensors;

namespace ZImageSharp.Testing;

/// <summary>Deterministic random tensors and non-contiguous views of them for op tests.</summary>
public static class TestData
{
    /// <summary>Standard-normal values (Box-Muller over a seeded <see cref="Random"/>), times <paramref name="scale"/>.</summary>
    public static float[] Normal(int count, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            values[i] = (float)(scale * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }

        return values;
    }

    /// <summary>Uniform values in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public static float[] Uniform(int count, int seed, float min, float max)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)(min + ((max - min) * random.NextDouble()));
        }

        return values;
    }

    /// <summary>A contiguous tensor of normal values converted to <paramref name="dtype"/>.</summary>
    public static Tensor Random(IBackend backend, Shape shape, DType dtype, int seed, float scale = 1f)
    {
        float[] values = Normal(checked((int)shape.ElementCount), seed, scale);
        return FromFloats(backend, values, shape, dtype);
    }

    /// <summary>A contiguous tensor of the given values converted to <paramref name="dtype"/>.</summary>
    public static Tensor FromFloats(IBackend backend, float[] values, Shape shape, DType dtype)
    {
        Tensor f32 = Tensor.From<float>(backend, values, shape);
        if (dtype == DType.F32)
        {
            return f32;
        }

        using (f32)
        {
            return Ops.Cast(f32, dtype);
        }
    }

    /// <summary>
    /// The same values as <paramref name="t"/> in a non-contiguous layout whose last dimension still has stride 1:
    /// every row sits in a wider padded row (row stride = last size + 3) of a larger storage.
    /// </summary>
    public static Tensor PaddedRows(Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        int last = t.Shape[-1];
        Shape padded = t.Shape.With(-1, last + 3);
        using Tensor storage = Tensor.Full(t.Backend, padded, 7.0, t.DType);
        Tensor view = storage.Narrow(-1, 1, last);
        Ops.Copy(t, view);
        return view;
    }

    /// <summary>
    /// The same values as <paramref name="t"/> (rank ≥ 2) stored transposed in memory, so the view's last dimension
    /// has a stride other than 1.
    /// </summary>
    public static Tensor TransposedStorage(Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        using Tensor transposed = t.TransposeLast();
        using Tensor packed = Ops.Contiguous(transposed);
        return packed.TransposeLast();
    }
}
