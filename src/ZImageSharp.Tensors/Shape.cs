using System.Text;

namespace ZImageSharp.Tensors;

/// <summary>Immutable tensor shape in PyTorch order (outermost dimension first).</summary>
public readonly struct Shape : IEquatable<Shape>
{
    /// <summary>The largest rank a tensor may have.</summary>
    public const int MaxRank = 8;

    private readonly int[]? _dims;
    private readonly long _elementCount;

    /// <summary>Creates a shape; every size must be non-negative and the rank at most <see cref="MaxRank"/>.</summary>
    /// <exception cref="ArgumentException">For a negative size, a rank above <see cref="MaxRank"/> or an element count above 2^62.</exception>
    public Shape(params ReadOnlySpan<int> dims)
    {
        if (dims.Length > MaxRank)
        {
            throw new ArgumentException($"Rank {dims.Length} exceeds the maximum rank {MaxRank}.", nameof(dims));
        }

        long count = 1;
        foreach (int d in dims)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Shape {Format(dims)} has a negative size.", nameof(dims));
            }

            count *= d;
            if (count > (1L << 62))
            {
                throw new ArgumentException($"Shape {Format(dims)} has too many elements.", nameof(dims));
            }
        }

        _dims = dims.Length == 0 ? null : dims.ToArray();
        _elementCount = count;
    }

    /// <summary>The rank-0 shape of a scalar (one element).</summary>
    public static Shape Scalar => new([]);

    /// <summary>Number of dimensions.</summary>
    public int Rank => _dims?.Length ?? 0;

    /// <summary>The sizes, outermost first.</summary>
    public ReadOnlySpan<int> Dims => _dims;

    /// <summary>Total number of elements (1 for a scalar).</summary>
    public long ElementCount => _dims is null ? 1 : _elementCount;

    /// <summary>Size of a dimension; negative indices count from the end.</summary>
    public int this[int dim] => _dims![NormalizeDim(dim)];

    /// <summary>Turns a possibly negative dimension index into 0..Rank-1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the index is outside [-Rank, Rank).</exception>
    public int NormalizeDim(int dim)
    {
        int rank = Rank;
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"Dimension {dim} is out of range for shape {this} (rank {rank}).");
        }

        return d;
    }

    /// <summary>A copy with the size of one dimension replaced.</summary>
    public Shape With(int dim, int size)
    {
        int d = NormalizeDim(dim);
        Span<int> dims = stackalloc int[Rank];
        Dims.CopyTo(dims);
        dims[d] = size;
        return new Shape(dims);
    }

    /// <summary>A copy of the sizes as an array.</summary>
    public int[] ToArray() => Dims.ToArray();

    /// <summary>Product of the sizes of dimensions [start, end).</summary>
    public long Product(int start, int end)
    {
        long p = 1;
        for (int i = start; i < end; i++)
        {
            p *= _dims![i];
        }

        return p;
    }

    /// <summary>The sizes of a rank-2 shape.</summary>
    /// <exception cref="ShapeMismatchException">When the rank is not 2.</exception>
    public (int D0, int D1) Dims2()
    {
        RequireRank(2);
        return (_dims![0], _dims[1]);
    }

    /// <summary>The sizes of a rank-3 shape.</summary>
    /// <exception cref="ShapeMismatchException">When the rank is not 3.</exception>
    public (int D0, int D1, int D2) Dims3()
    {
        RequireRank(3);
        return (_dims![0], _dims[1], _dims[2]);
    }

    /// <summary>The sizes of a rank-4 shape.</summary>
    /// <exception cref="ShapeMismatchException">When the rank is not 4.</exception>
    public (int D0, int D1, int D2, int D3) Dims4()
    {
        RequireRank(4);
        return (_dims![0], _dims[1], _dims[2], _dims[3]);
    }

    /// <summary>The NumPy/PyTorch broadcast of two shapes (sizes aligned from the right; 1 stretches).</summary>
    /// <exception cref="ShapeMismatchException">When a pair of sizes is neither equal nor 1.</exception>
    public static Shape Broadcast(Shape a, Shape b, string op)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        Span<int> dims = stackalloc int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Rank ? 1 : a.Dims[i - (rank - a.Rank)];
            int db = i < rank - b.Rank ? 1 : b.Dims[i - (rank - b.Rank)];
            if (da != db && da != 1 && db != 1)
            {
                throw new ShapeMismatchException(op, $"shapes {a} and {b} cannot be broadcast together (dimension {i}: {da} vs {db}).");
            }

            dims[i] = da == 1 ? db : da;
        }

        return new Shape(dims);
    }

    /// <summary>Equality of rank and sizes.</summary>
    public bool Equals(Shape other) => Dims.SequenceEqual(other.Dims);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Shape other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in Dims)
        {
            hash.Add(d);
        }

        return hash.ToHashCode();
    }

    /// <summary>Equality of rank and sizes.</summary>
    public static bool operator ==(Shape left, Shape right) => left.Equals(right);

    /// <summary>Inequality of rank or sizes.</summary>
    public static bool operator !=(Shape left, Shape right) => !left.Equals(right);

    /// <summary>Converts an array of sizes.</summary>
    public static implicit operator Shape(int[] dims) => new(dims);

    /// <summary>Formats as <c>[2, 3, 4]</c>.</summary>
    public override string ToString() => Format(Dims);

    private static string Format(ReadOnlySpan<int> dims)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < dims.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            sb.Append(dims[i]);
        }

        return sb.Append(']').ToString();
    }

    private void RequireRank(int rank)
    {
        if (Rank != rank)
        {
            throw new ShapeMismatchException("shape", $"expected a rank-{rank} shape, found {this}.");
        }
    }
}
