using System.Collections.Immutable;

namespace ZImageSharp.IO.Checkpoints;

/// <summary>
/// How a tensor of a renamed view is derived from a stored tensor. Every transform selects a contiguous run of the
/// stored elements (a <see cref="TensorPart"/>), so applying it never copies data.
/// </summary>
public abstract record TensorTransform
{
    private protected TensorTransform()
    {
    }

    /// <summary>The same elements with other sizes (the element counts must agree).</summary>
    /// <param name="dims">The new sizes.</param>
    public static TensorTransform Reshape(params ReadOnlySpan<long> dims) => new ReshapeTransform([.. dims]);

    /// <summary>A 1×1 convolution weight <c>[out, in, 1, 1]</c> as the equivalent linear weight <c>[out, in]</c>.</summary>
    public static TensorTransform Conv1x1ToLinear { get; } = new Conv1x1ToLinearTransform();

    /// <summary>Chunk <paramref name="index"/> of <paramref name="count"/> equal chunks along dim 0 (PyTorch <c>chunk(count, dim=0)[index]</c>).</summary>
    /// <param name="index">Which chunk, from 0.</param>
    /// <param name="count">How many equal chunks dim 0 is split into.</param>
    public static TensorTransform Chunk(int index, int count) => new ChunkTransform(index, count);

    /// <summary>The part of <paramref name="stored"/> this transform selects.</summary>
    /// <exception cref="CheckpointException">Naming the file and the stored tensor, when its shape does not allow the transform.</exception>
    public abstract TensorPart Apply(TensorInfo stored);
}

/// <summary>The stored elements under new sizes.</summary>
/// <param name="Dims">The new sizes.</param>
public sealed record ReshapeTransform(ImmutableArray<long> Dims) : TensorTransform
{
    /// <inheritdoc/>
    public override TensorPart Apply(TensorInfo stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var part = new TensorPart(0, Dims);
        if (part.ElementCount != stored.ElementCount)
        {
            throw new CheckpointException(stored.FilePath, stored.Name, $"cannot reshape {stored.ShapeText} to {TensorInfo.FormatDims(Dims.AsSpan())}: the element counts differ.");
        }

        return part;
    }

    /// <summary>Equal when the sizes are equal element-wise.</summary>
    public bool Equals(ReshapeTransform? other) => other is not null && Dims.AsSpan().SequenceEqual(other.Dims.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode() => Dims.Aggregate(17, (h, d) => HashCode.Combine(h, d));

    /// <inheritdoc/>
    public override string ToString() => $"reshape to {TensorInfo.FormatDims(Dims.AsSpan())}";
}

/// <summary>A 1×1 convolution weight <c>[out, in, 1, 1]</c> seen as a linear weight <c>[out, in]</c> (exact: same bytes).</summary>
public sealed record Conv1x1ToLinearTransform : TensorTransform
{
    /// <inheritdoc/>
    public override TensorPart Apply(TensorInfo stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.Dims is not [long outputs, long inputs, 1, 1])
        {
            throw new CheckpointException(stored.FilePath, stored.Name, $"expected a 1×1 convolution weight [out, in, 1, 1], found {stored.ShapeText}.");
        }

        return new TensorPart(0, [outputs, inputs]);
    }

    /// <inheritdoc/>
    public override string ToString() => "1×1 conv weight as linear";
}

/// <summary>One of several equal chunks along dim 0 (rows of a fused weight, e.g. q, k, v of a fused qkv).</summary>
/// <param name="Index">Which chunk, from 0.</param>
/// <param name="Count">How many equal chunks.</param>
public sealed record ChunkTransform(int Index, int Count) : TensorTransform
{
    /// <inheritdoc/>
    public override TensorPart Apply(TensorInfo stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (Count <= 0 || Index < 0 || Index >= Count)
        {
            throw new CheckpointException(stored.FilePath, stored.Name, $"invalid chunk {Index} of {Count}.");
        }

        if (stored.Dims.Length == 0 || stored.Dims[0] % Count != 0)
        {
            throw new CheckpointException(stored.FilePath, stored.Name, $"cannot split {stored.ShapeText} into {Count} equal chunks along dim 0.");
        }

        // Rows are contiguous in C order, so chunk i is the element run starting at row i·rows.
        long rows = stored.Dims[0] / Count;
        long rowElements = 1;
        foreach (long d in stored.Dims.AsSpan()[1..])
        {
            rowElements *= d;
        }

        return new TensorPart(Index * rows * rowElements, [rows, .. stored.Dims.AsSpan()[1..]]);
    }

    /// <inheritdoc/>
    public override string ToString() => $"chunk {Index} of {Count} along dim 0";
}
