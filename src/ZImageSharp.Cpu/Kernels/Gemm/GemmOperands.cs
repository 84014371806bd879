using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

/// <summary>
/// A batch of strided matrices in raw storage: element (b, i, j) sits at storage element
/// Offset + b·BatchStride + i·RowStride + j·ColStride. Any dtype; any strides (packing picks the fast direction).
/// </summary>
/// <remarks>Unsafe: <see cref="Storage"/> must address every element the strides reach while a GEMM runs.</remarks>
internal readonly unsafe struct StridedMatrix
{
    public StridedMatrix(byte* storage, DType dtype, long offset, long batchStride, long rowStride, long colStride, int rows, int cols)
    {
        Storage = storage;
        DType = dtype;
        Offset = offset;
        BatchStride = batchStride;
        RowStride = rowStride;
        ColStride = colStride;
        Rows = rows;
        Cols = cols;
    }

    public byte* Storage { get; }

    public DType DType { get; }

    public long Offset { get; }

    public long BatchStride { get; }

    public long RowStride { get; }

    public long ColStride { get; }

    public int Rows { get; }

    public int Cols { get; }

    /// <summary>True when a row is a unit-stride run (row-major), the cheap direction to read.</summary>
    public bool RowsAreRuns => ColStride == 1 || Cols == 1;

    /// <summary>The matrices of a rank-3 [batch, rows, cols] tensor.</summary>
    public static StridedMatrix From(in TensorRef t)
    {
        Layout l = t.Layout;
        return new StridedMatrix(CpuMemory.Base(t), t.DType, l.Offset, l.Stride(0), l.Stride(1), l.Stride(2), l.Shape[1], l.Shape[2]);
    }

    /// <summary>Storage element index of (batch, row, col).</summary>
    public long Index(int batch, int row, int col) => Offset + (batch * BatchStride) + (row * RowStride) + (col * ColStride);
}

/// <summary>Where a GEMM writes: a row-major [batch, M, N] destination of any float dtype, plus the bias epilogue.</summary>
/// <remarks>Unsafe: the bias pointers, when not null, address N (column bias) or M (row bias) f32 values.</remarks>
internal readonly unsafe struct GemmOutput
{
    public GemmOutput(byte* storage, DType dtype, long offset, long batchStride, long rowStride, float* columnBias, float* rowBias)
    {
        Storage = storage;
        DType = dtype;
        Offset = offset;
        BatchStride = batchStride;
        RowStride = rowStride;
        ColumnBias = columnBias;
        RowBias = rowBias;
    }

    public byte* Storage { get; }

    public DType DType { get; }

    public long Offset { get; }

    public long BatchStride { get; }

    public long RowStride { get; }

    /// <summary>Added to every row (a linear layer's bias), or null.</summary>
    public float* ColumnBias { get; }

    /// <summary>Added to every column (a convolution's per-output-channel bias), or null.</summary>
    public float* RowBias { get; }

    /// <summary>Storage element index of (batch, row, col).</summary>
    public long Index(int batch, int row, int col) => Offset + (batch * BatchStride) + (row * RowStride) + col;
}

/// <summary>
/// The right-hand operand of a GEMM, seen only through its packed panels. A plain matrix packs by copying; a
/// convolution packs straight from the image (implicit im2col), so no unfolded copy of the input ever exists.
/// </summary>
internal unsafe interface IGemmPanelSource
{
    /// <summary>Writes rows k0..k0+kc and columns j0..j0+cols of batch <paramref name="batch"/> as ⌈cols/nr⌉ f32 panels
    /// [kc][nr], panel p (columns j0 + p·nr ..) at <paramref name="destination"/> + p·kc·nr, zero-filling the last
    /// panel's columns past cols.</summary>
    void PackPanels(int batch, int k0, int kc, int j0, int cols, int nr, float* destination);
}

/// <summary>A <see cref="StridedMatrix"/> as a GEMM right-hand operand.</summary>
internal readonly unsafe struct MatrixPanelSource : IGemmPanelSource
{
    private readonly StridedMatrix _matrix;

    public MatrixPanelSource(in StridedMatrix matrix) => _matrix = matrix;

    public void PackPanels(int batch, int k0, int kc, int j0, int cols, int nr, float* destination)
    {
        for (int p = 0; p * nr < cols; p++)
        {
            GemmPacking.PackB(_matrix, batch, k0, kc, j0 + (p * nr), Math.Min(nr, cols - (p * nr)), nr, destination + ((long)p * kc * nr));
        }
    }
}
