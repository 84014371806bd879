namespace ZImageSharp.Tensors;

// Views: new tensors over the same storage with another layout. None of these copies elements, except Reshape
// when the strides make a view impossible (as PyTorch's reshape). Every view must be disposed like any tensor.
public sealed partial class Tensor
{
    /// <summary>The same elements with a new shape; one size may be -1 (inferred).</summary>
    /// <remarks>A view when the layout allows it (always for contiguous tensors); otherwise a contiguous copy.</remarks>
    public Tensor Reshape(params ReadOnlySpan<int> dims)
    {
        Shape shape = InferShape(dims);
        if (Layout.TryReshape(shape, out Layout layout))
        {
            return View(layout);
        }

        using Tensor contiguous = Ops.Contiguous(this);
        return contiguous.View(new Layout(shape, contiguous.Layout.Offset));
    }

    /// <summary>Like <see cref="Reshape"/> but never copies.</summary>
    /// <exception cref="ShapeMismatchException">When the strides do not allow a view; call <see cref="Ops.Contiguous"/> first.</exception>
    public Tensor View(params ReadOnlySpan<int> dims)
    {
        Shape shape = InferShape(dims);
        if (!Layout.TryReshape(shape, out Layout layout))
        {
            throw new ShapeMismatchException("view", $"a tensor with layout {Layout} cannot be viewed as {shape} without a copy; make it contiguous first.");
        }

        return View(layout);
    }

    /// <summary>Reorders dimensions (PyTorch <c>permute</c>).</summary>
    public Tensor Permute(params ReadOnlySpan<int> dims) => View(Layout.Permute(dims));

    /// <summary>Swaps two dimensions.</summary>
    public Tensor Transpose(int dim0, int dim1) => View(Layout.Transpose(dim0, dim1));

    /// <summary>The transpose of the last two dimensions (a matrix transpose for rank 2).</summary>
    public Tensor TransposeLast() => View(Layout.Transpose(-2, -1));

    /// <summary>Keeps <paramref name="length"/> entries of a dimension from <paramref name="start"/>.</summary>
    public Tensor Narrow(int dim, int start, int length) => View(Layout.Narrow(dim, start, length));

    /// <summary>Fixes the index of a dimension and removes it.</summary>
    public Tensor Select(int dim, int index) => View(Layout.Select(dim, index));

    /// <summary>Inserts a dimension of size 1.</summary>
    public Tensor Unsqueeze(int dim) => View(Layout.Unsqueeze(dim));

    /// <summary>Removes a dimension of size 1.</summary>
    public Tensor Squeeze(int dim) => View(Layout.Squeeze(dim));

    /// <summary>A view with an explicit layout over this tensor's storage (PyTorch <c>as_strided</c>); offsets are in
    /// elements of the storage, not relative to this view.</summary>
    /// <exception cref="ArgumentException">When the layout reaches beyond the storage.</exception>
    public Tensor AsStrided(Layout layout) => View(layout);

    /// <summary>Broadcasts to a larger shape without copying (stretched dimensions get stride 0).</summary>
    public Tensor BroadcastTo(Shape shape) => View(Layout.BroadcastTo(shape));

    /// <summary>Merges dimensions [<paramref name="startDim"/>, <paramref name="endDim"/>] into one.</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (Rank == 0)
        {
            return Reshape(1);
        }

        int start = Shape.NormalizeDim(startDim);
        int end = Shape.NormalizeDim(endDim);
        if (start > end)
        {
            throw new ShapeMismatchException("flatten", $"start dimension {startDim} comes after end dimension {endDim} for shape {Shape}.");
        }

        Span<int> dims = stackalloc int[Rank - (end - start)];
        int j = 0;
        for (int i = 0; i < start; i++)
        {
            dims[j++] = Shape.Dims[i];
        }

        dims[j++] = checked((int)Shape.Product(start, end + 1));
        for (int i = end + 1; i < Rank; i++)
        {
            dims[j++] = Shape.Dims[i];
        }

        return Reshape(dims);
    }

    /// <summary>Splits a dimension into <paramref name="chunks"/> equal views (PyTorch <c>chunk</c> when the size divides evenly).</summary>
    /// <exception cref="ShapeMismatchException">When the size is not a multiple of <paramref name="chunks"/>.</exception>
    public Tensor[] Chunk(int chunks, int dim)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunks, 1);
        int d = Shape.NormalizeDim(dim);
        int size = Shape.Dims[d];
        if (size % chunks != 0)
        {
            throw new ShapeMismatchException("chunk", $"dimension {d} of shape {Shape} (size {size}) does not split into {chunks} equal chunks.");
        }

        int part = size / chunks;
        var result = new Tensor[chunks];
        for (int i = 0; i < chunks; i++)
        {
            result[i] = Narrow(d, i * part, part);
        }

        return result;
    }

    /// <summary>Splits a dimension into views of the given sizes, which must add up to the dimension's size.</summary>
    public Tensor[] Split(ReadOnlySpan<int> sizes, int dim)
    {
        int d = Shape.NormalizeDim(dim);
        long total = 0;
        foreach (int s in sizes)
        {
            total += s;
        }

        if (total != Shape.Dims[d])
        {
            throw new ShapeMismatchException("split", $"sizes add up to {total}, but dimension {d} of shape {Shape} has {Shape.Dims[d]}.");
        }

        var result = new Tensor[sizes.Length];
        int start = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            result[i] = Narrow(d, start, sizes[i]);
            start += sizes[i];
        }

        return result;
    }

    private Shape InferShape(ReadOnlySpan<int> dims)
    {
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] == -1)
            {
                if (inferred >= 0)
                {
                    throw new ShapeMismatchException("reshape", "only one size may be -1.");
                }

                inferred = i;
            }
            else if (dims[i] < 0)
            {
                throw new ShapeMismatchException("reshape", $"size {dims[i]} is invalid.");
            }
            else
            {
                known *= dims[i];
            }
        }

        if (inferred < 0)
        {
            return new Shape(dims);
        }

        if (known == 0 || ElementCount % known != 0)
        {
            throw new ShapeMismatchException("reshape", $"cannot infer the -1 size to reshape {Shape} ({ElementCount} elements).");
        }

        Span<int> resolved = stackalloc int[dims.Length];
        dims.CopyTo(resolved);
        resolved[inferred] = checked((int)(ElementCount / known));
        return new Shape(resolved);
    }
}
