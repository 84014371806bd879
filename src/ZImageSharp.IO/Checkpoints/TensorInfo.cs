using System.Collections.Immutable;
using System.Text;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Checkpoints;

/// <summary>What a checkpoint header says about one tensor; no data is read to produce it.</summary>
/// <param name="Name">Full tensor name, e.g. <c>layers.0.attention.to_q.weight</c>.</param>
/// <param name="DType">Element type as stored in the file.</param>
/// <param name="Dims">Sizes in PyTorch order; empty for a 0-d tensor.</param>
/// <param name="DataOffset">Start of the bytes, relative to the file's data buffer.</param>
/// <param name="ByteLength">Size of the bytes in the file.</param>
/// <param name="FilePath">The file holding the tensor.</param>
public sealed record TensorInfo(string Name, SafetensorsDType DType, ImmutableArray<long> Dims, long DataOffset, long ByteLength, string FilePath)
{
    /// <summary>Number of elements (1 for a 0-d tensor, 0 when a size is 0).</summary>
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

    /// <summary>The shape as an engine <see cref="Shape"/>.</summary>
    /// <exception cref="NotSupportedException">When the rank exceeds <see cref="Shape.MaxRank"/> or a size exceeds 2^31-1.</exception>
    public Shape ToShape()
    {
        if (Dims.Length > Shape.MaxRank || Dims.Any(d => d > int.MaxValue))
        {
            throw new NotSupportedException($"{FilePath}: tensor '{Name}': shape {FormatDims(Dims.AsSpan())} is beyond what the engine supports (rank ≤ {Shape.MaxRank}, sizes < 2^31).");
        }

        Span<int> dims = stackalloc int[Dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            dims[i] = (int)Dims[i];
        }

        return new Shape(dims);
    }

    /// <summary>True when the sizes equal those of <paramref name="shape"/>.</summary>
    public bool HasShape(Shape shape)
    {
        if (shape.Rank != Dims.Length)
        {
            return false;
        }

        for (int i = 0; i < Dims.Length; i++)
        {
            if (shape.Dims[i] != Dims[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The sizes formatted like <see cref="Shape.ToString"/>: <c>[3840, 2560]</c>.</summary>
    public string ShapeText => FormatDims(Dims.AsSpan());

    /// <summary>Formats sizes as <c>[a, b, c]</c>.</summary>
    public static string FormatDims(ReadOnlySpan<long> dims)
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < dims.Length; i++)
        {
            text.Append(i > 0 ? ", " : string.Empty).Append(dims[i]);
        }

        return text.Append(']').ToString();
    }
}
