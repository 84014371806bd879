using ZImageSharp.Cuda.Gemm;
using ZImageSharp.Cuda.Interop;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Tests.Gemm;

/// <summary>
/// The row-major → column-major restatement, checked two ways: against hand-derived descriptors for the layouts the
/// models use, and by executing every plan with a naive column-major GEMM on the host (what cuBLASLt computes given
/// those descriptors) and comparing with a row-major reference product.
/// </summary>
public sealed class GemmPlannerTests
{
    [Fact]
    public void RowMajorTimesTransposedWeight_IsOpTOnTheWeight()
    {
        // Linear: x [1, M, K] · W [N, K]ᵀ, the weight seen as a [1, K, N] view with strides (0, 1, K).
        var x = new Layout(new Shape(1, 5, 8));
        var wT = new Layout(new Shape(1, 8, 3), [0, 1, 8], 0);
        var d = new Layout(new Shape(1, 5, 3));
        GemmPlan plan = Plan(x, wT, d, DType.BF16, DType.BF16, DType.BF16);

        Assert.Equal(new GemmOperand(true, 8, 3, 8, 0, CublasLt.DataBF16), plan.First);
        Assert.Equal(new GemmOperand(false, 8, 5, 8, 0, CublasLt.DataBF16), plan.Second);
        Assert.Equal(new GemmOperand(false, 3, 5, 3, 0, CublasLt.DataBF16), plan.Output);
        Assert.True(plan.BiasEpilogue);
    }

    [Fact]
    public void MixedBias_IsNotAnEpilogue_AndMixedOperands_AreRefused()
    {
        var a = new Layout(new Shape(1, 4, 4));
        Assert.False(Plan(a, a, a, DType.BF16, DType.BF16, DType.F32).BiasEpilogue);
        var mixed = GemmPlanner.Plan(a, DType.BF16, a, DType.F32, a, DType.F32, null);
        Assert.Null(mixed.Plan);
        Assert.Contains("dtypes differ", mixed.Problem, StringComparison.Ordinal);
        var badOut = GemmPlanner.Plan(a, DType.BF16, a, DType.BF16, a, DType.F16, null);
        Assert.Null(badOut.Plan);
    }

    [Fact]
    public void OverlappingRows_AreRefusedWithTheReason()
    {
        var broadcastRows = new Layout(new Shape(1, 4, 6), [0, 0, 1], 0);
        var b = new Layout(new Shape(1, 6, 2));
        var d = new Layout(new Shape(1, 4, 2));
        var result = GemmPlanner.Plan(broadcastRows, DType.F32, b, DType.F32, d, DType.F32, null);
        Assert.Null(result.Plan);
        Assert.Contains("a: rows overlap", result.Problem, StringComparison.Ordinal);
    }

    public static TheoryData<string> Layouts() => ["nn", "nt", "tn", "tt", "batched", "shared-b", "m1", "k1", "padded"];

    [Theory]
    [MemberData(nameof(Layouts))]
    public void EveryPlan_ExecutedAsColumnMajor_EqualsTheRowMajorProduct(string name)
    {
        const int batch = 3, m = 5, n = 4, k = 6;
        (Layout a, Layout b, int mm, int kk, int bb) = name switch
        {
            "nn" => (new Layout(new Shape(1, m, k)), new Layout(new Shape(1, k, n)), m, k, 1),
            "nt" => (new Layout(new Shape(1, m, k)), new Layout(new Shape(1, k, n), [0, 1, k], 0), m, k, 1),
            "tn" => (new Layout(new Shape(1, m, k), [0, 1, m], 0), new Layout(new Shape(1, k, n)), m, k, 1),
            "tt" => (new Layout(new Shape(1, m, k), [0, 1, m], 0), new Layout(new Shape(1, k, n), [0, 1, k], 0), m, k, 1),
            "batched" => (new Layout(new Shape(batch, m, k)), new Layout(new Shape(batch, k, n)), m, k, batch),
            "shared-b" => (new Layout(new Shape(batch, m, k)), new Layout(new Shape(1, k, n), [0, n, 1], 0), m, k, batch),
            "m1" => (new Layout(new Shape(1, 1, k), [0, 0, 1], 0), new Layout(new Shape(1, k, n)), 1, k, 1),
            "k1" => (new Layout(new Shape(1, m, 1)), new Layout(new Shape(1, 1, n)), m, 1, 1),
            _ => (new Layout(new Shape(1, m, k), [0, k + 3, 1], 2), new Layout(new Shape(1, k, n), [0, 1, k + 1], 1), m, k, 1),
        };
        var d = new Layout(new Shape(bb, mm, n));
        GemmPlan plan = Plan(a, b, d, DType.F32, DType.F32, null);

        double[] aData = Data(a, 1), bData = Data(b, 2);
        double[] actual = new double[bb * mm * n];
        // What cuBLAS computes: D(col-major, N×M) = op(First) · op(Second), per batch.
        for (int p = 0; p < bb; p++)
        {
            for (int row = 0; row < plan.N; row++)
            {
                for (int col = 0; col < plan.M; col++)
                {
                    double sum = 0;
                    for (int i = 0; i < plan.K; i++)
                    {
                        sum += Element(bData, b.Offset, plan.First, p, row, i) * Element(aData, a.Offset, plan.Second, p, i, col);
                    }

                    actual[(p * plan.Output.BatchStride) + (col * plan.Output.LeadingDimension) + row] = sum;
                }
            }
        }

        for (int p = 0; p < bb; p++)
        {
            for (int i = 0; i < mm; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double expected = 0;
                    for (int t = 0; t < kk; t++)
                    {
                        expected += At(aData, a, p, i, t) * At(bData, b, p, t, j);
                    }

                    Assert.Equal(expected, actual[(((p * mm) + i) * n) + j], 12);
                }
            }
        }
    }

    private static GemmPlan Plan(Layout a, Layout b, Layout d, DType inputs, DType output, DType? bias)
    {
        var result = GemmPlanner.Plan(a, inputs, b, inputs, d, output, bias);
        Assert.True(result.Plan is not null, result.Problem);
        return result.Plan!;
    }

    /// <summary>Element (row, col) of op(X) for a column-major operand descriptor starting at the view's first element.</summary>
    private static double Element(double[] data, long offset, GemmOperand x, int batch, long row, long col)
    {
        (long r, long c) = x.Transposed ? (col, row) : (row, col);
        return data[(batch * x.BatchStride) + (c * x.LeadingDimension) + r + offset];
    }

    private static double At(double[] data, Layout layout, int batch, int i, int j) =>
        data[(layout.Shape[0] == 1 ? 0 : batch * layout.Strides[0]) + (i * layout.Strides[1]) + (j * layout.Strides[2]) + layout.Offset];

    private static double[] Data(Layout layout, int seed)
    {
        var random = new Random(seed);
        double[] data = new double[layout.End + 16];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = random.Next(-8, 9);
        }

        return data;
    }
}
