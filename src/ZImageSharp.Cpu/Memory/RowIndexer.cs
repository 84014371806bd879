using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

/// <summary>
/// Maps a row number to the storage offset of that row's first element for any strided layout, where a row is the
/// last dimension and rows are numbered in row-major order over the leading dimensions.
/// </summary>
internal readonly struct RowIndexer
{
    private readonly int[] _sizes;
    private readonly long[] _strides;
    private readonly long _offset;

    public RowIndexer(Layout layout)
    {
        int rank = layout.Rank;
        _offset = layout.Offset;
        if (rank == 0)
        {
            _sizes = [];
            _strides = [];
            Rows = 1;
            RowLength = 1;
            InnerStride = 1;
            return;
        }

        _sizes = layout.Shape.Dims[..^1].ToArray();
        _strides = layout.Strides[..^1].ToArray();
        RowLength = layout.Shape[-1];
        InnerStride = layout.Stride(-1);
        long rows = 1;
        foreach (int s in _sizes)
        {
            rows *= s;
        }

        Rows = rows;
        IsUniform = ComputeUniform(out long rowStride);
        RowStride = rowStride;
    }

    /// <summary>Number of rows (product of the leading sizes).</summary>
    public long Rows { get; }

    /// <summary>Elements per row.</summary>
    public int RowLength { get; }

    /// <summary>Stride between elements of a row.</summary>
    public long InnerStride { get; }

    /// <summary>True when row r starts at Offset(0) + r·<see cref="RowStride"/> for every r.</summary>
    public bool IsUniform { get; }

    /// <summary>The stride between consecutive rows when <see cref="IsUniform"/>.</summary>
    public long RowStride { get; }

    /// <summary>Storage offset (in elements) of the first element of row <paramref name="row"/>.</summary>
    public long Offset(long row)
    {
        if (IsUniform)
        {
            return _offset + (row * RowStride);
        }

        long offset = _offset;
        for (int d = _sizes.Length - 1; d >= 0; d--)
        {
            int size = _sizes[d];
            long index = row % size;
            row /= size;
            offset += index * _strides[d];
        }

        return offset;
    }

    private bool ComputeUniform(out long rowStride)
    {
        rowStride = 0;
        long expected = -1;
        for (int d = _sizes.Length - 1; d >= 0; d--)
        {
            if (_sizes[d] == 1)
            {
                continue;
            }

            if (expected < 0)
            {
                rowStride = _strides[d];
            }
            else if (_strides[d] != expected)
            {
                return false;
            }

            expected = _strides[d] * _sizes[d];
        }

        return true;
    }
}
