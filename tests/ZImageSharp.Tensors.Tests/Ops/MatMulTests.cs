using ZImageSharp.Cpu;
using ZImageSharp.Tensors;
using ZImageSharp.Testing;
using static ZImageSharp.Tensors.Ops;

namespace ZImageSharp.Tensors.Tests.Ops;

public sealed class MatMulTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;

    /// <summary>Tiny, odd, vector-width and beyond-block sizes (MC = 192, KC = 256, NR = 32, tile width 512 on AVX-512).</summary>
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, 1 }, { 1, 7, 3 }, { 2, 3, 17 }, { 3, 17, 2 }, { 7, 31, 65 }, { 17, 64, 31 }, { 31, 65, 130 },
        { 64, 1, 64 }, { 65, 130, 7 }, { 130, 17, 33 }, { 1, 256, 1030 }, { 200, 31, 40 }, { 13, 300, 97 },
        { 400, 257, 9 }, { 5, 520, 530 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatMul_F32_MatchesNaive(int m, int k, int n)
    {
        using Tensor a = TestData.Random(Cpu, new Shape(m, k), DType.F32, seed: m + k);
        using Tensor b = TestData.Random(Cpu, new Shape(k, n), DType.F32, seed: n, scale: Scale(k));
        Check(a, b, null, null);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void MatMul_TransposedViews_MatchNaive(bool transposeA, bool transposeB)
    {
        // Sizes past MC and KC so transposed packing runs on full and edge panels.
        const int m = 197, k = 261, n = 45;
        using Tensor a0 = TestData.Random(Cpu, transposeA ? new Shape(k, m) : new Shape(m, k), DType.F32, seed: 1);
        using Tensor b0 = TestData.Random(Cpu, transposeB ? new Shape(n, k) : new Shape(k, n), DType.F32, seed: 2, scale: Scale(k));
        using Tensor a = transposeA ? a0.TransposeLast() : a0.View(a0.Layout);
        using Tensor b = transposeB ? b0.TransposeLast() : b0.View(b0.Layout);
        Check(a, b, null, null);
    }

    [Theory]
    [InlineData(DType.F32, DType.F32, DType.F32)]
    [InlineData(DType.BF16, DType.BF16, DType.BF16)]
    [InlineData(DType.F16, DType.F16, DType.F16)]
    [InlineData(DType.F32, DType.BF16, DType.F32)]
    [InlineData(DType.F32, DType.BF16, DType.BF16)]
    [InlineData(DType.BF16, DType.F16, DType.F32)]
    [InlineData(DType.F16, DType.F32, DType.BF16)]
    public void Linear_DTypesWithBias_MatchNaive(DType xType, DType wType, DType outType)
    {
        // x [2, 101, 150] · W[70, 150]ᵀ: rows fold to M = 202 (> MC), W is a transposed (column-major) view.
        using Tensor x = TestData.Random(Cpu, new Shape(2, 101, 150), xType, seed: 3);
        using Tensor w = TestData.Random(Cpu, new Shape(70, 150), wType, seed: 4, scale: Scale(150));
        using Tensor bias = TestData.Random(Cpu, new Shape(70), wType, seed: 5);
        using Tensor y = Linear(x, w, bias, outType);
        Assert.Equal(outType, y.DType);
        var expected = NaiveOps.Linear(HostTensor.FromTensor(x), HostTensor.FromTensor(w), HostTensor.FromTensor(bias));
        TensorAssert.Close(expected, y, Tolerances.Product(outType));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(32)]
    public void Linear_SmallMWideN_MatchesNaive(int m)
    {
        // The adaLN shape family: few rows, K = 256, wide N (here 700, not a multiple of any panel width).
        using Tensor x = TestData.Random(Cpu, new Shape(m, 256), DType.F32, seed: m);
        using Tensor w = TestData.Random(Cpu, new Shape(700, 256), DType.BF16, seed: 9, scale: Scale(256));
        using Tensor bias = TestData.Random(Cpu, new Shape(700), DType.F32, seed: 10);
        using Tensor y = Linear(x, w, bias);
        var expected = NaiveOps.Linear(HostTensor.FromTensor(x), HostTensor.FromTensor(w), HostTensor.FromTensor(bias));
        TensorAssert.Close(expected, y, Tolerances.Product(DType.F32));
    }

    [Fact]
    public void Linear_VectorInput_ReturnsVector()
    {
        using Tensor x = TestData.Random(Cpu, new Shape(19), DType.F32, seed: 1);
        using Tensor w = TestData.Random(Cpu, new Shape(23, 19), DType.F32, seed: 2, scale: Scale(19));
        using Tensor y = Linear(x, w);
        Assert.Equal([23], y.Shape.ToArray());
        TensorAssert.Close(NaiveOps.Linear(HostTensor.FromTensor(x), HostTensor.FromTensor(w)), y, Tolerances.Product(DType.F32));
    }

    public static TheoryData<int[], int[]> BatchShapes() => new()
    {
        { [3, 5, 9], [3, 9, 6] },
        { [2, 3, 5, 9], [3, 9, 6] },
        { [5, 9], [4, 9, 7] },
        { [2, 1, 5, 9], [1, 3, 9, 7] },
        { [4, 30, 33], [33, 20] },
        { [2, 200, 40], [2, 40, 37] },
    };

    [Theory]
    [MemberData(nameof(BatchShapes))]
    public void MatMul_BatchedWithBroadcasting_MatchesNaive(int[] shapeA, int[] shapeB)
    {
        using Tensor a = TestData.Random(Cpu, new Shape(shapeA), DType.F32, seed: 11);
        using Tensor b = TestData.Random(Cpu, new Shape(shapeB), DType.BF16, seed: 12, scale: Scale(shapeB[^2]));
        Check(a, b, null, null);
    }

    [Fact]
    public void MatMul_BatchedTransposedAndPaddedViews_MatchNaive()
    {
        // Attention-like: q [2, 3, 40, 16] · kᵀ with k stored [2, 3, 50, 16]; a has padded rows (row stride 19).
        using Tensor q0 = TestData.Random(Cpu, new Shape(2, 3, 40, 16), DType.F32, seed: 1);
        using Tensor q = TestData.PaddedRows(q0);
        using Tensor k0 = TestData.Random(Cpu, new Shape(2, 3, 50, 16), DType.BF16, seed: 2, scale: 0.25f);
        using Tensor kt = k0.TransposeLast();
        Check(q, kt, null, DType.BF16);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void MatMul_EmptyInnerDimension_GivesBiasOrZeros(bool withBias)
    {
        using Tensor a = Tensor.Zeros(Cpu, new Shape(3, 0));
        using Tensor b = Tensor.Zeros(Cpu, new Shape(0, 5));
        using Tensor? bias = withBias ? TestData.Random(Cpu, new Shape(5), DType.F32, seed: 1) : null;
        Check(a, b, bias, null);
    }

    [Fact]
    public void Kernel_DirectCall_WritesOnlyItsDestination()
    {
        // Batch stride 0 for b (a broadcast weight), column-major b, bias, bf16 destination between guards.
        using Tensor a = TestData.Random(Cpu, new Shape(3, 37, 70), DType.F32, seed: 1);
        using Tensor w = TestData.Random(Cpu, new Shape(45, 70), DType.BF16, seed: 2, scale: Scale(70));
        using Tensor wt = w.TransposeLast();
        using Tensor b = wt.Unsqueeze(0).BroadcastTo(new Shape(3, 70, 45));
        using Tensor bias = TestData.Random(Cpu, new Shape(45), DType.F32, seed: 3);
        using var guarded = GuardedOutput.Create(Cpu, new Shape(3, 37, 45), DType.BF16);
        Cpu.Kernels.MatMul(a.ToRef(), b.ToRef(), bias.ToRef(), guarded.Destination.ToRef());
        guarded.AssertGuardsIntact();
        var expected = NaiveOps.MatMul(HostTensor.FromTensor(a), HostTensor.FromTensor(b), HostTensor.FromTensor(bias));
        TensorAssert.Close(expected, guarded.Destination, Tolerances.Product(DType.BF16));
    }

    private static float Scale(int k) => 1f / MathF.Sqrt(Math.Max(k, 1));

    private static void Check(Tensor a, Tensor b, Tensor? bias, DType? outType)
    {
        using Tensor y = MatMul(a, b, bias, outType);
        DType output = outType ?? a.DType;
        var expected = NaiveOps.MatMul(HostTensor.FromTensor(a), HostTensor.FromTensor(b), bias is null ? null : HostTensor.FromTensor(bias));
        TensorAssert.Close(expected, y, Tolerances.Product(output));
    }
}
