using System.Collections.Immutable;
using ZImageSharp.IO.Safetensors;

namespace ZImageSharp.IO.Checkpoints;

/// <summary>
/// A contiguous run of a stored tensor's elements presented with sizes of its own: a reshape (the whole tensor, new
/// sizes) or a run of dim-0 rows (one chunk of a fused weight). Because the run is contiguous in the file, reading it
/// is reading a byte sub-range of the stored tensor: no copy of the whole tensor is ever made.
/// </summary>
/// <param name="ElementOffset">Index of the first element, in the stored tensor's C order.</param>
/// <param name="Dims">Sizes of the part in PyTorch order; their product is the number of elements taken.</param>
public sealed record TensorPart(long ElementOffset, ImmutableArray<long> Dims)
{
    /// <summary>Number of elements the part takes (the product of <see cref="Dims"/>).</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (long d in Dims)
            {
                count *= d;
            }

            return count;
        }
    }

    /// <summary>
    /// The header facts of this part of <paramref name="stored"/>: the given name, the part's sizes, and the byte range
    /// of the part in the same file (so <see cref="TensorInfo.FilePath"/> and the offsets stay true to the file).
    /// </summary>
    /// <param name="stored">The stored tensor the part is taken from.</param>
    /// <param name="name">The name the part is presented under.</param>
    /// <exception cref="CheckpointException">Naming the stored tensor and its file, when the part does not lie inside it or does not start on a byte.</exception>
    public TensorInfo Describe(TensorInfo stored, string name)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Dims.IsDefault || Dims.Any(d => d < 0))
        {
            throw new CheckpointException(stored.FilePath, stored.Name, $"invalid part sizes {(Dims.IsDefault ? "(none)" : TensorInfo.FormatDims(Dims.AsSpan()))}.");
        }

        long count = ElementCount;
        if (ElementOffset < 0 || ElementOffset > stored.ElementCount - count)
        {
            throw new CheckpointException(stored.FilePath, stored.Name, $"{this} does not lie inside the stored tensor of {stored.ElementCount} elements ({stored.ShapeText}).");
        }

        // Sub-byte types (F4, F6) can only be cut where an element starts on a byte boundary.
        int bits = stored.DType.BitSize();
        if (ElementOffset * bits % 8 != 0 || count * bits % 8 != 0)
        {
            throw new CheckpointException(stored.FilePath, stored.Name, $"{this} does not start and end on a byte boundary for dtype {stored.DType}.");
        }

        return new TensorInfo(name, stored.DType, Dims, stored.DataOffset + (ElementOffset * bits / 8), count * bits / 8, stored.FilePath);
    }

    /// <summary>A part that lies inside this one: <paramref name="inner"/>'s offset is relative to this part's first element.</summary>
    /// <exception cref="ArgumentException">When <paramref name="inner"/> reaches past the end of this part.</exception>
    public TensorPart Compose(TensorPart inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (inner.ElementOffset < 0 || inner.ElementOffset > ElementCount - inner.ElementCount)
        {
            throw new ArgumentException($"{inner} does not lie inside {this}.", nameof(inner));
        }

        return new TensorPart(ElementOffset + inner.ElementOffset, inner.Dims);
    }

    /// <summary>Equal when the offsets and the sizes are equal (element-wise, unlike the default array comparison).</summary>
    public bool Equals(TensorPart? other) =>
        other is not null && ElementOffset == other.ElementOffset && Dims.AsSpan().SequenceEqual(other.Dims.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(ElementOffset);
        foreach (long d in Dims)
        {
            hash.Add(d);
        }

        return hash.ToHashCode();
    }

    /// <summary>Reads like <c>elements [a, b) as [3840, 3840]</c>.</summary>
    public override string ToString() =>
        $"elements [{ElementOffset}, {ElementOffset + ElementCount}) as {TensorInfo.FormatDims(Dims.AsSpan())}";
}
