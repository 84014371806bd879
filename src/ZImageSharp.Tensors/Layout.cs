using System.Text;

namespace ZImageSharp.Tensors;

/// <summary>
/// How a tensor's elements sit in its storage: a shape, a stride per dimension and a start offset, all counted in
/// elements. Views (permute, narrow, broadcast, most reshapes) only build a new layout over the same storage.
/// </summary>
/// <remarks>Strides are never negative; a stride of 0 marks a broadcast dimension.</remarks>
public readonly struct Layout : IEquatable<Layout>
{
    private readonly long[]? _strides;

    /// <summary>A row-major contiguous layout starting at <paramref name="offset"/>.</summary>
    public Layout(Shape shape, long offset = 0)
        : this(shape, RowMajorStrides(shape), offset, validate: false)
    {
    }

    /// <summary>A layout with explicit strides.</summary>
    /// <exception cref="ArgumentException">When the stride count differs from the rank or a stride or the offset is negative.</exception>
    public Layout(Shape shape, ReadOnlySpan<long> strides, long offset)
        : this(shape, strides.ToArray(), offset, validate: true)
    {
    }

    private Layout(Shape shape, long[] strides, long offset, bool validate)
    {
        if (validate)
        {
            if (strides.Length != shape.Rank)
            {
                throw new ArgumentException($"Layout for shape {shape} needs {shape.Rank} strides, got {strides.Length}.", nameof(strides));
            }

            foreach (long s in strides)
            {
                if (s < 0)
                {
                    throw new ArgumentException("Negative strides are not supported.", nameof(strides));
                }
            }

            ArgumentOutOfRangeException.ThrowIfNegative(offset);
        }

        Shape = shape;
        _strides = strides.Length == 0 ? null : strides;
        Offset = offset;
        IsContiguous = ComputeIsContiguous(shape, strides);
    }

    /// <summary>The logical shape.</summary>
    public Shape Shape { get; }

    /// <summary>Element strides, one per dimension.</summary>
    public ReadOnlySpan<long> Strides => _strides;

    /// <summary>Offset of element [0, 0, ...] in the storage, in elements.</summary>
    public long Offset { get; }

    /// <summary>True when the elements are packed in row-major order (sizes of 1 may carry any stride).</summary>
    public bool IsContiguous { get; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Rank;

    /// <summary>Number of elements.</summary>
    public long ElementCount => Shape.ElementCount;

    /// <summary>One past the largest storage element index this layout touches (its required storage extent).</summary>
    public long End
    {
        get
        {
            if (ElementCount == 0)
            {
                return Offset;
            }

            long end = Offset;
            for (int i = 0; i < Rank; i++)
            {
                end += (Shape.Dims[i] - 1) * _strides![i];
            }

            return end + 1;
        }
    }

    /// <summary>The stride of a dimension; negative indices count from the end.</summary>
    public long Stride(int dim) => _strides![Shape.NormalizeDim(dim)];

    /// <summary>Row-major strides for a shape.</summary>
    public static long[] RowMajorStrides(Shape shape)
    {
        var strides = new long[shape.Rank];
        long s = 1;
        for (int i = shape.Rank - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= Math.Max(shape.Dims[i], 1);
        }

        return strides;
    }

    /// <summary>Reorders the dimensions; <paramref name="dims"/> must be a permutation of 0..Rank-1 (negatives allowed).</summary>
    public Layout Permute(ReadOnlySpan<int> dims)
    {
        if (dims.Length != Rank)
        {
            throw new ShapeMismatchException("permute", $"{dims.Length} dimensions given for a rank-{Rank} tensor of shape {Shape}.");
        }

        Span<int> newDims = stackalloc int[Rank];
        var newStrides = new long[Rank];
        Span<bool> seen = stackalloc bool[Rank];
        for (int i = 0; i < Rank; i++)
        {
            int d = Shape.NormalizeDim(dims[i]);
            if (seen[d])
            {
                throw new ShapeMismatchException("permute", $"dimension {d} appears twice in the permutation.");
            }

            seen[d] = true;
            newDims[i] = Shape.Dims[d];
            newStrides[i] = _strides![d];
        }

        return new Layout(new Shape(newDims), newStrides, Offset, validate: false);
    }

    /// <summary>Swaps two dimensions.</summary>
    public Layout Transpose(int dim0, int dim1)
    {
        Span<int> perm = stackalloc int[Rank];
        for (int i = 0; i < Rank; i++)
        {
            perm[i] = i;
        }

        int a = Shape.NormalizeDim(dim0);
        int b = Shape.NormalizeDim(dim1);
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(perm);
    }

    /// <summary>Keeps <paramref name="length"/> entries of a dimension starting at <paramref name="start"/>.</summary>
    public Layout Narrow(int dim, int start, int length)
    {
        int d = Shape.NormalizeDim(dim);
        int size = Shape.Dims[d];
        if (start < 0 || length < 0 || start > size - length)
        {
            throw new ShapeMismatchException("narrow", $"range [{start}, {start}+{length}) is outside dimension {d} of size {size} (shape {Shape}).");
        }

        return new Layout(Shape.With(d, length), _strides!, Offset + (start * _strides![d]), validate: false);
    }

    /// <summary>Removes a dimension by fixing its index.</summary>
    public Layout Select(int dim, int index)
    {
        int d = Shape.NormalizeDim(dim);
        if (index < 0 || index >= Shape.Dims[d])
        {
            throw new ShapeMismatchException("select", $"index {index} is outside dimension {d} of size {Shape.Dims[d]} (shape {Shape}).");
        }

        return Narrow(d, index, 1).Squeeze(d);
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="dim"/> (0..Rank; negatives count from Rank+1).</summary>
    public Layout Unsqueeze(int dim)
    {
        int d = dim < 0 ? dim + Rank + 1 : dim;
        if (d < 0 || d > Rank)
        {
            throw new ShapeMismatchException("unsqueeze", $"dimension {dim} is out of range for shape {Shape}.");
        }

        Span<int> dims = stackalloc int[Rank + 1];
        var strides = new long[Rank + 1];
        for (int i = 0, j = 0; i < Rank + 1; i++)
        {
            if (i == d)
            {
                dims[i] = 1;
                strides[i] = d < Rank ? _strides![d] * Shape.Dims[d] : 1;
                continue;
            }

            dims[i] = Shape.Dims[j];
            strides[i] = _strides![j];
            j++;
        }

        return new Layout(new Shape(dims), strides, Offset, validate: false);
    }

    /// <summary>Removes a dimension of size 1.</summary>
    public Layout Squeeze(int dim)
    {
        int d = Shape.NormalizeDim(dim);
        if (Shape.Dims[d] != 1)
        {
            throw new ShapeMismatchException("squeeze", $"dimension {d} of shape {Shape} has size {Shape.Dims[d]}, not 1.");
        }

        Span<int> dims = stackalloc int[Rank - 1];
        var strides = new long[Rank - 1];
        for (int i = 0, j = 0; i < Rank; i++)
        {
            if (i == d)
            {
                continue;
            }

            dims[j] = Shape.Dims[i];
            strides[j] = _strides![i];
            j++;
        }

        return new Layout(new Shape(dims), strides, Offset, validate: false);
    }

    /// <summary>Broadcasts to <paramref name="target"/> (aligned from the right); stretched dimensions get stride 0.</summary>
    public Layout BroadcastTo(Shape target)
    {
        if (target.Rank < Rank)
        {
            throw new ShapeMismatchException("broadcast", $"cannot broadcast shape {Shape} to the lower-rank shape {target}.");
        }

        var strides = new long[target.Rank];
        int lead = target.Rank - Rank;
        for (int i = 0; i < target.Rank; i++)
        {
            if (i < lead)
            {
                strides[i] = 0;
                continue;
            }

            int size = Shape.Dims[i - lead];
            if (size == target.Dims[i])
            {
                strides[i] = _strides![i - lead];
            }
            else if (size == 1)
            {
                strides[i] = 0;
            }
            else
            {
                throw new ShapeMismatchException("broadcast", $"cannot broadcast shape {Shape} to {target}.");
            }
        }

        return new Layout(target, strides, Offset, validate: false);
    }

    /// <summary>
    /// Reinterprets the elements with a new shape without moving them, when the strides allow it (PyTorch's
    /// <c>view</c> rule: each new dimension must lie inside a run of old dimensions that are mutually contiguous).
    /// </summary>
    /// <returns>False when only a copy can produce the new shape.</returns>
    public bool TryReshape(Shape newShape, out Layout result)
    {
        if (newShape.ElementCount != ElementCount)
        {
            throw new ShapeMismatchException("reshape", $"cannot reshape {Shape} ({ElementCount} elements) to {newShape} ({newShape.ElementCount} elements).");
        }

        if (IsContiguous || ElementCount <= 1)
        {
            result = new Layout(newShape, Offset);
            return true;
        }

        var newStrides = new long[newShape.Rank];
        int viewD = newShape.Rank - 1;
        long chunkBaseStride = _strides![Rank - 1];
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int tensorD = Rank - 1; tensorD >= 0; tensorD--)
        {
            tensorNumel *= Shape.Dims[tensorD];
            bool chunkEnds = tensorD == 0
                || (Shape.Dims[tensorD - 1] != 1 && _strides[tensorD - 1] != tensorNumel * chunkBaseStride);
            if (!chunkEnds)
            {
                continue;
            }

            while (viewD >= 0 && (viewNumel < tensorNumel || newShape.Dims[viewD] == 1))
            {
                newStrides[viewD] = viewNumel * chunkBaseStride;
                viewNumel *= newShape.Dims[viewD];
                viewD--;
            }

            if (viewNumel != tensorNumel)
            {
                result = default;
                return false;
            }

            if (tensorD > 0)
            {
                chunkBaseStride = _strides[tensorD - 1];
                tensorNumel = 1;
                viewNumel = 1;
            }
        }

        if (viewD != -1)
        {
            result = default;
            return false;
        }

        result = new Layout(newShape, newStrides, Offset, validate: false);
        return true;
    }

    /// <summary>The same shape and strides at another offset.</summary>
    public Layout WithOffset(long offset) => new(Shape, _strides ?? [], offset, validate: false);

    /// <summary>Equality of shape, strides and offset.</summary>
    public bool Equals(Layout other) => Shape == other.Shape && Strides.SequenceEqual(other.Strides) && Offset == other.Offset;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Layout other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Shape, Offset);

    /// <summary>Equality of shape, strides and offset.</summary>
    public static bool operator ==(Layout left, Layout right) => left.Equals(right);

    /// <summary>Inequality of shape, strides or offset.</summary>
    public static bool operator !=(Layout left, Layout right) => !left.Equals(right);

    /// <summary>Formats as <c>[2, 3] strides [3, 1] offset 0</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Shape).Append(" strides [");
        for (int i = 0; i < Rank; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            sb.Append(_strides![i]);
        }

        return sb.Append("] offset ").Append(Offset).ToString();
    }

    private static bool ComputeIsContiguous(Shape shape, long[] strides)
    {
        long expected = 1;
        for (int i = shape.Rank - 1; i >= 0; i--)
        {
            int size = shape.Dims[i];
            if (size == 0)
            {
                return true;
            }

            if (size != 1 && strides[i] != expected)
            {
                return false;
            }

            expected *= size;
        }

        return true;
    }
}
