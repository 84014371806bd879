namespace ZImageSharp.Tensors;

// Reductions over the last dimension.
public static partial class Ops
{
    /// <summary>Reduces the last dimension; the result keeps it with size 1 when <paramref name="keepDim"/>.</summary>
    public static Tensor Reduce(ReduceOp reduce, Tensor x, bool keepDim = false)
    {
        string op = reduce.ToString().ToLowerInvariant();
        OpChecks.NotNull(op, x, nameof(x));
        OpChecks.Float(op, x, nameof(x));
        OpChecks.MinRank(op, x, 1, nameof(x));
        OpChecks.Supported(OpKind.Reduce, x);
        if (x.Shape[-1] == 0 && reduce is ReduceOp.Max or ReduceOp.Min or ReduceOp.Mean)
        {
            throw new ShapeMismatchException(op, $"cannot take the {op} of an empty last dimension (shape {x.Shape}).");
        }

        using Tensor rows = OpChecks.Rows(x);
        Tensor result = Tensor.Empty(x.Backend, x.Shape.With(-1, 1), x.DType);
        x.Backend.Kernels.Reduce(reduce, rows.ToRef(), result.ToRef());
        if (keepDim)
        {
            return result;
        }

        using (result)
        {
            return result.Squeeze(-1);
        }
    }

    /// <summary>Σ over the last dimension.</summary>
    public static Tensor Sum(Tensor x, bool keepDim = false) => Reduce(ReduceOp.Sum, x, keepDim);

    /// <summary>Mean over the last dimension.</summary>
    public static Tensor Mean(Tensor x, bool keepDim = false) => Reduce(ReduceOp.Mean, x, keepDim);

    /// <summary>Maximum over the last dimension.</summary>
    public static Tensor Max(Tensor x, bool keepDim = false) => Reduce(ReduceOp.Max, x, keepDim);

    /// <summary>Minimum over the last dimension.</summary>
    public static Tensor Min(Tensor x, bool keepDim = false) => Reduce(ReduceOp.Min, x, keepDim);

    /// <summary>Euclidean norm over the last dimension.</summary>
    public static Tensor L2Norm(Tensor x, bool keepDim = false) => Reduce(ReduceOp.L2Norm, x, keepDim);
}
