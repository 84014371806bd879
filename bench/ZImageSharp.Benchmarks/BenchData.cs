using ZImageSharp.Tensors;

namespace ZImageSharp.Benchmarks;

/// <summary>Seeded random benchmark inputs.</summary>
internal static class BenchData
{
    /// <summary>Uniform values in [−scale, scale) as a contiguous tensor of <paramref name="dtype"/>.</summary>
    public static Tensor Random(IBackend backend, Shape shape, DType dtype, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        var values = new float[shape.ElementCount];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = scale * ((2f * random.NextSingle()) - 1f);
        }

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
}
