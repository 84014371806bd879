using ZImageSharp.Tensors;

namespace ZImageSharp.Cli.Commands.Bench;

/// <summary>Deterministic random inputs for benchmarks (uniform in ±scale; the values only need to be ordinary floats).</summary>
internal static class BenchTensors
{
    public static Tensor Random(IBackend backend, Shape shape, DType dtype, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        float[] data = new float[shape.ElementCount];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = ((random.NextSingle() * 2) - 1) * scale;
        }

        Tensor f32 = Tensor.From<float>(backend, data, shape);
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
