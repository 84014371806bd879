using ZImageSharp.Cuda.Interop;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Gemm;

/// <summary>
/// Turns the <see cref="IKernels.MatMul"/> operands (rank 3, row-major or transposed views, any batch stride) into a
/// <see cref="GemmPlan"/>, or says why cuBLASLt cannot take them as they are. Pure: no GPU, fully unit-tested.
/// </summary>
internal static class GemmPlanner
{
    /// <summary>The outcome: a plan, or the reason the operands need preparing (a copy, a cast) first.</summary>
    /// <param name="Plan">The plan, when cuBLASLt takes the operands as they are.</param>
    /// <param name="Problem">Otherwise what stops it, e.g. "a: rows overlap (leading dimension 0 &lt; 64)".</param>
    internal readonly record struct Result(GemmPlan? Plan, string? Problem);

    /// <summary>Plans D = A·B (+ bias) for A [batch|1, M, K], B [batch|1, K, N], D [batch, M, N] contiguous.</summary>
    public static Result Plan(Layout a, DType aType, Layout b, DType bType, Layout destination, DType destinationType, DType? biasType)
    {
        if (a.Rank != 3 || b.Rank != 3 || destination.Rank != 3)
        {
            return new(null, "operands must be rank 3");
        }

        long batch = destination.Shape[0], m = destination.Shape[1], n = destination.Shape[2], k = a.Shape[2];
        if (!destination.IsContiguous)
        {
            return new(null, "destination is not contiguous");
        }

        if (Math.Max(Math.Max(m, n), k) > int.MaxValue || batch > int.MaxValue)
        {
            return new(null, "a dimension exceeds 2³¹ − 1");
        }

        if (aType != bType)
        {
            return new(null, $"operand dtypes differ ({aType} · {bType})");
        }

        int inputType = DataType(aType);
        if (inputType < 0)
        {
            return new(null, $"{aType} operands are not supported by cuBLASLt here");
        }

        bool outputOk = destinationType == aType || destinationType == DType.F32;
        if (!outputOk)
        {
            return new(null, $"{aType} · {aType} → {destinationType} is not a cuBLASLt combination");
        }

        (GemmOperand? firstOperand, string? firstProblem) = Operand(b, k, n, "b");
        (GemmOperand? secondOperand, string? secondProblem) = Operand(a, m, k, "a");
        if (firstOperand is not GemmOperand first || secondOperand is not GemmOperand second)
        {
            return new(null, firstProblem ?? secondProblem);
        }

        first = first with { DataType = inputType };
        second = second with { DataType = inputType };
        var output = new GemmOperand(false, n, m, n, batch > 1 ? m * n : 0, DataType(destinationType));
        // The epilogue adds a bias of D's own type; an f32 or bf16 bias on a bf16 D would be rounded first, which
        // the CPU backend does not do, so such a bias is added by a kernel afterwards in f32.
        bool biasEpilogue = biasType is DType bias && bias == destinationType;
        return new(new GemmPlan(first, second, output, m, n, k, batch, biasEpilogue), null);
    }

    /// <summary>Whether cuBLASLt can read a [batch, rows, cols] operand view as it is (else copy it contiguous first).</summary>
    public static bool CanRead(Layout layout) => layout.Rank == 3 && Operand(layout, layout.Shape[1], layout.Shape[2], "x").Operand is not null;

    /// <summary>cudaDataType for a float dtype, −1 for others.</summary>
    public static int DataType(DType dtype) => dtype switch
    {
        DType.F32 => CublasLt.DataF32,
        DType.F16 => CublasLt.DataF16,
        DType.BF16 => CublasLt.DataBF16,
        _ => -1,
    };

    /// <summary>Describes our row-major [rows, cols] matrix (a view) as the column-major cuBLAS operand of its
    /// transpose: row-major (stride of the last = 1) → cols×rows with op N; column-major → rows×cols with op T.</summary>
    private static (GemmOperand? Operand, string? Problem) Operand(Layout layout, long rows, long cols, string name)
    {
        long rowStride = layout.Strides[1], colStride = layout.Strides[2];
        long batchStride = layout.Shape[0] == 1 ? 0 : layout.Strides[0];

        // A dimension of size 1 has no meaningful stride; treat it as packed so either reading is valid.
        if (cols == 1)
        {
            colStride = 1;
        }

        if (rows == 1)
        {
            rowStride = cols;
        }

        if (colStride == 1 && rowStride >= cols)
        {
            return (new GemmOperand(false, cols, rows, Math.Max(rowStride, 1), batchStride, 0), null);
        }

        if (rowStride == 1 && colStride >= rows)
        {
            return (new GemmOperand(true, rows, cols, Math.Max(colStride, 1), batchStride, 0), null);
        }

        if (colStride == 1 || rowStride == 1)
        {
            return (null, $"{name}: rows overlap (leading dimension {Math.Max(rowStride, colStride)} is less than {(colStride == 1 ? cols : rows)})");
        }

        return (null, $"{name}: neither of the last two dimensions has stride 1 (strides {rowStride}, {colStride})");
    }
}
