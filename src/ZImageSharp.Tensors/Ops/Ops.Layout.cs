namespace ZImageSharp.Tensors;

/// <summary>
/// The math API: validates shapes, dtypes and devices (errors name the op and the shapes), allocates the result on
/// the inputs' backend and runs the backend's kernel, or a <see cref="Composite"/> when the backend lacks a fused op.
/// </summary>
public static partial class Ops
{
    /// <summary>A contiguous tensor with the same elements: a new view when already contiguous, else a copy.</summary>
    public static Tensor Contiguous(Tensor x)
    {
        OpChecks.NotNull("contiguous", x, nameof(x));
        if (x.IsContiguous)
        {
            return x.View(x.Layout);
        }

        Tensor result = Tensor.Empty(x.Backend, x.Shape, x.DType);
        x.Backend.Kernels.Copy(x.ToRef(), result.ToRef());
        return result;
    }

    /// <summary>A contiguous copy converted to <paramref name="dtype"/> (float→int truncates toward zero).</summary>
    public static Tensor Cast(Tensor x, DType dtype)
    {
        OpChecks.NotNull("cast", x, nameof(x));
        OpChecks.Supported(OpKind.Copy, x);
        Tensor result = Tensor.Empty(x.Backend, x.Shape, dtype);
        x.Backend.Kernels.Copy(x.ToRef(), result.ToRef());
        return result;
    }

    /// <summary>Copies <paramref name="source"/> into an existing tensor or view of the same shape (dtype converted).</summary>
    public static void Copy(Tensor source, Tensor destination)
    {
        const string op = "copy";
        OpChecks.NotNull(op, source, nameof(source));
        OpChecks.NotNull(op, destination, nameof(destination));
        OpChecks.SameBackend(op, source, destination, nameof(destination));
        OpChecks.Writable(op, destination);
        if (source.Shape != destination.Shape)
        {
            throw new ShapeMismatchException(op, $"source {source.Shape} and destination {destination.Shape} differ.");
        }

        source.Backend.Kernels.Copy(source.ToRef(), destination.ToRef());
    }

    /// <summary>Sets every element of a tensor or view to <paramref name="value"/>.</summary>
    public static void Fill(Tensor destination, double value)
    {
        OpChecks.NotNull("fill", destination, nameof(destination));
        OpChecks.Writable("fill", destination);
        destination.Backend.Kernels.Fill(destination.ToRef(), value);
    }

    /// <summary>Joins tensors along a dimension; all other sizes, the dtype and the backend must match.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int dim)
    {
        const string op = "concat";
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
        {
            throw new ArgumentException($"{op}: no tensors given.", nameof(tensors));
        }

        Tensor first = tensors[0];
        OpChecks.NotNull(op, first, "tensors[0]");
        int d = first.Shape.NormalizeDim(dim);
        long total = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            Tensor t = tensors[i];
            OpChecks.NotNull(op, t, $"tensors[{i}]");
            OpChecks.SameBackend(op, first, t, $"tensors[{i}]");
            if (t.DType != first.DType)
            {
                throw new TensorOpException(op, $"tensors[{i}] is {t.DType}, tensors[0] is {first.DType}.");
            }

            if (t.Rank != first.Rank || t.Shape.With(d, 1) != first.Shape.With(d, 1))
            {
                throw new ShapeMismatchException(op, $"tensors[{i}] has shape {t.Shape}, incompatible with {first.Shape} outside dimension {d}.");
            }

            total += t.Shape[d];
        }

        Tensor result = Tensor.Empty(first.Backend, first.Shape.With(d, checked((int)total)), first.DType);
        int start = 0;
        foreach (Tensor t in tensors)
        {
            int size = t.Shape[d];
            if (size > 0)
            {
                Layout slice = result.Layout.Narrow(d, start, size);
                first.Backend.Kernels.Copy(t.ToRef(), new TensorRef(result.Storage, slice, result.DType));
            }

            start += size;
        }

        return result;
    }

    /// <summary>Stacks equal-shaped tensors along a new dimension.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var views = new Tensor[tensors.Count];
        try
        {
            for (int i = 0; i < views.Length; i++)
            {
                OpChecks.NotNull("stack", tensors[i], $"tensors[{i}]");
                views[i] = tensors[i].Unsqueeze(dim);
            }

            return Concat(views, dim);
        }
        finally
        {
            foreach (Tensor? v in views)
            {
                v?.Dispose();
            }
        }
    }

    /// <summary>Gathers entries along <paramref name="dim"/> by integer indices (an embedding lookup for dim 0).</summary>
    /// <param name="source">Any dtype.</param>
    /// <param name="indices">1-D I32 or I64; every value must be in [0, source.Shape[dim]).</param>
    /// <param name="dim">The dimension to index.</param>
    public static Tensor IndexSelect(Tensor source, Tensor indices, int dim = 0)
    {
        const string op = "index_select";
        OpChecks.NotNull(op, source, nameof(source));
        OpChecks.NotNull(op, indices, nameof(indices));
        OpChecks.SameBackend(op, source, indices, nameof(indices));
        OpChecks.Supported(OpKind.IndexSelect, source);
        if (indices.DType is not (DType.I32 or DType.I64) || indices.Rank != 1)
        {
            throw new TensorOpException(op, $"indices must be a 1-D I32 or I64 tensor, found {indices.DType} {indices.Shape}.");
        }

        int d = source.Shape.NormalizeDim(dim);
        int size = source.Shape[d];
        int count = indices.Shape[0];

        // Indices are checked on the host (they are few: token and position ids); meta tensors have no values.
        if (source.Backend is not MetaBackend)
        {
            long[] values = indices.DType == DType.I64 ? indices.ToArray<long>() : Array.ConvertAll(indices.ToArray<int>(), v => (long)v);
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i] < 0 || values[i] >= size)
                {
                    throw new TensorOpException(op, $"index {values[i]} at position {i} is outside [0, {size}) for dimension {d} of shape {source.Shape}.");
                }
            }
        }

        using Tensor src = OpChecks.Packed(source);
        using Tensor idx = OpChecks.Packed(indices);
        Tensor result = Tensor.Empty(source.Backend, source.Shape.With(d, count), source.DType);
        source.Backend.Kernels.IndexSelect(src.ToRef(), idx.ToRef(), d, result.ToRef());
        return result;
    }
}
