using ZImageSharp.Cpu;
using ZImageSharp.Testing;

namespace ZImageSharp.Tensors.Tests.Ops;

/// <summary>How a test input sits in memory.</summary>
public enum InputLayout
{
    /// <summary>Packed row-major.</summary>
    Contiguous,

    /// <summary>Rows inside wider padded rows (last stride 1, row stride larger): <see cref="TestData.PaddedRows"/>.</summary>
    PaddedRows,

    /// <summary>Stored transposed, so the last dimension has a stride other than 1: <see cref="TestData.TransposedStorage"/>.</summary>
    Transposed,
}

/// <summary>Inputs shared by the op tests.</summary>
internal static class OpInputs
{
    /// <summary>The backend under test (all cores).</summary>
    public static CpuBackend Cpu => CpuBackend.Default;

    /// <summary>Three workers: more chunks than CI's two cores, and uneven ones, so chunk edges are exercised.</summary>
    public static CpuBackend ThreeThreads { get; } = new(threads: 3);

    /// <summary>Row lengths that hit every vector width, its tails and multi-segment runs (TensorPrimitives' practice).</summary>
    public static int[] Lengths { get; } = [1, 3, 7, 17, 33, 64, 257, 4099];

    /// <summary>The float dtypes every math op accepts.</summary>
    public static DType[] FloatTypes { get; } = [DType.F32, DType.BF16, DType.F16];

    /// <summary>A tensor of <paramref name="values"/> in <paramref name="layout"/>.</summary>
    public static Tensor Make(IBackend backend, float[] values, Shape shape, DType dtype, InputLayout layout = InputLayout.Contiguous)
    {
        Tensor t = TestData.FromFloats(backend, values, shape, dtype);
        if (layout == InputLayout.Contiguous)
        {
            return t;
        }

        using (t)
        {
            return layout == InputLayout.PaddedRows ? TestData.PaddedRows(t) : TestData.TransposedStorage(t);
        }
    }

    /// <summary>Normal values in <paramref name="layout"/>.</summary>
    public static Tensor Random(Shape shape, DType dtype, int seed, InputLayout layout = InputLayout.Contiguous, float scale = 1f) =>
        Make(Cpu, TestData.Normal(checked((int)shape.ElementCount), seed, scale), shape, dtype, layout);

    /// <summary>Values with magnitudes in [lo, hi) and random signs (no zeros: divisors, reciprocals).</summary>
    public static float[] AwayFromZero(int count, int seed, float lo, float hi)
    {
        float[] magnitudes = TestData.Uniform(count, seed, lo, hi);
        float[] signs = TestData.Uniform(count, seed + 1, -1, 1);
        for (int i = 0; i < count; i++)
        {
            magnitudes[i] = signs[i] < 0 ? -magnitudes[i] : magnitudes[i];
        }

        return magnitudes;
    }
}
