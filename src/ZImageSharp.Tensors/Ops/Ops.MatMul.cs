namespace ZImageSharp.Tensors;

// Matrix products. Batch dimensions broadcast like PyTorch's matmul; transposed views are consumed without copies.
public static partial class Ops
{
    /// <summary>Batched matrix product a·b (+ bias), f32 accumulation.</summary>
    /// <param name="a">[..., M, K]</param>
    /// <param name="b">[..., K, N]; batch dimensions broadcast against a's.</param>
    /// <param name="bias">[N] or null, added to every row.</param>
    /// <param name="outDType">Result dtype; a's dtype when null.</param>
    /// <returns>[broadcast batch..., M, N]</returns>
    public static Tensor MatMul(Tensor a, Tensor b, Tensor? bias = null, DType? outDType = null)
    {
        const string op = "matmul";
        OpChecks.NotNull(op, a, nameof(a));
        OpChecks.NotNull(op, b, nameof(b));
        OpChecks.SameBackend(op, a, b, nameof(b));
        OpChecks.Float(op, a, nameof(a));
        OpChecks.Float(op, b, nameof(b));
        OpChecks.MinRank(op, a, 2, nameof(a));
        OpChecks.MinRank(op, b, 2, nameof(b));
        OpChecks.Supported(OpKind.MatMul, a);
        int m = a.Shape[-2];
        int k = a.Shape[-1];
        int n = b.Shape[-1];
        if (b.Shape[-2] != k)
        {
            throw new ShapeMismatchException(op, $"inner sizes differ: a {a.Shape} · b {b.Shape} (K {k} vs {b.Shape[-2]}).");
        }

        OpChecks.Vector(op, bias, n, nameof(bias), a);
        Shape batch = Shape.Broadcast(BatchOf(a.Shape), BatchOf(b.Shape), op);
        Shape outShape = Append(batch, m, n);
        Tensor result = Tensor.Empty(a.Backend, outShape, outDType ?? a.DType);
        using Tensor? packedBias = bias is null ? null : OpChecks.Packed(bias);
        long batchCount = batch.ElementCount;

        // A shared right-hand matrix (weights) lets a's batch fold into its rows: one [batch·M, K] product.
        if (BatchOf(b.Shape).ElementCount == 1 && IsMatrixLayout(b.Layout) && TryFoldRows(a, out Layout foldedA))
        {
            Layout bMatrix = Matrix3(b.Layout, 1, k, n);
            RunMatMul(a, foldedA, b, bMatrix, packedBias, result, new Layout(new Shape(1, checked((int)(batchCount * m)), n)));
            return result;
        }

        Layout la = FlattenBatch(a, batch, m, k, out Tensor? copyA);
        Layout lb = FlattenBatch(b, batch, k, n, out Tensor? copyB);
        using (copyA)
        using (copyB)
        {
            RunMatMul(copyA ?? a, la, copyB ?? b, lb, packedBias, result, new Layout(new Shape(checked((int)batchCount), m, n)));
        }

        return result;
    }

    /// <summary>A linear layer: x·Wᵀ + bias, with W in PyTorch's [out, in] order.</summary>
    /// <param name="x">[..., in]</param>
    /// <param name="weight">[out, in]</param>
    /// <param name="bias">[out] or null.</param>
    /// <param name="outDType">Result dtype; x's dtype when null.</param>
    /// <returns>[..., out]</returns>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null, DType? outDType = null)
    {
        const string op = "linear";
        OpChecks.NotNull(op, x, nameof(x));
        OpChecks.NotNull(op, weight, nameof(weight));
        OpChecks.Rank(op, weight, 2, nameof(weight));
        OpChecks.MinRank(op, x, 1, nameof(x));
        if (x.Shape[-1] != weight.Shape[1])
        {
            throw new ShapeMismatchException(op, $"input {x.Shape} has {x.Shape[-1]} features, weight {weight.Shape} expects {weight.Shape[1]}.");
        }

        using Tensor wt = weight.TransposeLast();
        if (x.Rank >= 2)
        {
            return MatMul(x, wt, bias, outDType);
        }

        using Tensor row = x.Unsqueeze(0);
        using Tensor product = MatMul(row, wt, bias, outDType);
        return product.Squeeze(0);
    }

    private static void RunMatMul(Tensor a, Layout la, Tensor b, Layout lb, Tensor? bias, Tensor result, Layout dst)
    {
        var ra = new TensorRef(a.Storage, la, a.DType);
        var rb = new TensorRef(b.Storage, lb, b.DType);
        a.Backend.Kernels.MatMul(ra, rb, bias?.ToRef(), new TensorRef(result.Storage, dst, result.DType));
    }

    private static Shape BatchOf(Shape s) => new(s.Dims[..^2]);

    private static Shape Append(Shape batch, int rows, int cols)
    {
        Span<int> dims = stackalloc int[batch.Rank + 2];
        batch.Dims.CopyTo(dims);
        dims[^2] = rows;
        dims[^1] = cols;
        return new Shape(dims);
    }

    /// <summary>Whether a's batch dimensions and rows merge into one row dimension with a row-major matrix.</summary>
    private static bool TryFoldRows(Tensor a, out Layout folded)
    {
        folded = default;
        int k = a.Shape[-1];
        if (k > 1 && a.Layout.Stride(-1) != 1)
        {
            return false;
        }

        // The row count is the product of the leading sizes (not ElementCount / K, which is 0 when K = 0).
        int rowCount = checked((int)a.Shape.Product(0, a.Rank - 1));
        if (!a.Layout.TryReshape(new Shape(rowCount, k), out Layout rows))
        {
            return false;
        }

        folded = rows.Unsqueeze(0);
        return IsMatrixLayout(folded);
    }

    /// <summary>The [1, rows, cols] view of a matrix whose batch dimensions are all 1.</summary>
    private static Layout Matrix3(Layout l, int batch, int rows, int cols)
    {
        long rowStride = l.Stride(-2);
        long colStride = l.Stride(-1);
        return new Layout(new Shape(batch, rows, cols), [0, rowStride, colStride], l.Offset);
    }

    /// <summary>x broadcast to [batch..., r, c] and viewed as [prod(batch), r, c]; copies only when no view exists.</summary>
    private static Layout FlattenBatch(Tensor x, Shape batch, int rows, int cols, out Tensor? copy)
    {
        copy = null;
        Layout expanded = x.Layout.BroadcastTo(Append(batch, rows, cols));
        int count = checked((int)batch.ElementCount);
        if (TryBatchView(expanded, count, out Layout view) && IsMatrixLayout(view))
        {
            return view;
        }

        using Tensor broadcast = x.View(expanded);
        copy = Contiguous(broadcast);
        return new Layout(new Shape(count, rows, cols), copy.Layout.Offset);
    }

    private static bool TryBatchView(Layout expanded, int count, out Layout view)
    {
        int rank = expanded.Rank;
        int rows = expanded.Shape[-2];
        int cols = expanded.Shape[-1];
        long rowStride = expanded.Stride(-2);
        long colStride = expanded.Stride(-1);

        // Find a single stride that walks all batch dimensions (ignoring size-1 dims).
        long batchStride = 0;
        long expectedNext = -1;
        for (int i = rank - 3; i >= 0; i--)
        {
            int size = expanded.Shape[i];
            if (size == 1)
            {
                continue;
            }

            long s = expanded.Strides[i];
            if (expectedNext < 0)
            {
                batchStride = s;
                expectedNext = s * size;
            }
            else if (s == expectedNext || (s == 0 && batchStride == 0))
            {
                expectedNext = s * size;
            }
            else
            {
                view = default;
                return false;
            }
        }

        view = new Layout(new Shape(count, rows, cols), [batchStride, rowStride, colStride], expanded.Offset);
        return true;
    }

    private static bool IsMatrixLayout(Layout l)
    {
        int rows = l.Shape[-2];
        int cols = l.Shape[-1];
        bool rowMajor = cols == 1 || l.Stride(-1) == 1;
        bool colMajor = rows == 1 || l.Stride(-2) == 1;
        return rowMajor || colMajor;
    }
}
