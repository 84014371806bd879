using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

/// <summary>
/// Raw views of the attention operands: q, k, v and the destination as [B, H, S, D] with unit stride in D, the U8
/// key mask, and the derived sizes.
/// </summary>
/// <remarks>Unsafe: all pointers address storage that Ops keeps alive for the kernel call.</remarks>
internal readonly unsafe struct AttentionOperands
{
    public AttentionOperands(in TensorRef q, in TensorRef k, in TensorRef v, in TensorRef? keyMask, bool causal, float scale, in TensorRef destination)
    {
        Q = q;
        K = k;
        V = v;
        Destination = destination;
        (Batch, QueryHeads, Queries, HeadDim) = q.Shape.Dims4();
        (_, KeyHeads, Keys, _) = k.Shape.Dims4();
        ValueDim = v.Shape[3];
        Mask = keyMask is { } m ? CpuMemory.Origin(m) : null;
        Causal = causal;
        Scale = scale;
    }

    public TensorRef Q { get; }

    public TensorRef K { get; }

    public TensorRef V { get; }

    public TensorRef Destination { get; }

    public int Batch { get; }

    public int QueryHeads { get; }

    public int KeyHeads { get; }

    public int Queries { get; }

    public int Keys { get; }

    public int HeadDim { get; }

    public int ValueDim { get; }

    /// <summary>U8 [B, Sk] (1 = attend), or null.</summary>
    public byte* Mask { get; }

    public bool Causal { get; }

    public float Scale { get; }

    /// <summary>Query heads per key/value head.</summary>
    public int Group => QueryHeads / KeyHeads;

    /// <summary>Rows × D of one head of a [B, H, S, D] operand as a strided matrix.</summary>
    public static StridedMatrix Head(in TensorRef t, int batch, int head)
    {
        Layout l = t.Layout;
        long offset = l.Offset + (batch * l.Stride(0)) + (head * l.Stride(1));
        return new StridedMatrix(CpuMemory.Base(t), t.DType, offset, 0, l.Stride(2), l.Stride(3), l.Shape[2], l.Shape[3]);
    }

    /// <summary>The same head seen transposed, D × rows (for packing queries as the GEMM's B operand).</summary>
    public static StridedMatrix HeadTransposed(in TensorRef t, int batch, int head)
    {
        StridedMatrix m = Head(t, batch, head);
        return new StridedMatrix(m.Storage, m.DType, m.Offset, 0, m.ColStride, m.RowStride, m.Cols, m.Rows);
    }
}
