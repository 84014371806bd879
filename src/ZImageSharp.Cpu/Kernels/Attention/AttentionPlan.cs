using System.Numerics.Tensors;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

/// <summary>Block sizes and packed layouts of one attention call (see <see cref="FlashAttention"/>).</summary>
/// <remarks>Unsafe: pack destinations hold the sizes given by the layout properties.</remarks>
internal readonly unsafe struct AttentionPlan
{
    /// <summary>Target queries per work item (rounded up to a multiple of lcm(MR, NR)): Q is packed once per item, so
    /// bigger blocks amortise it; 96 keeps the score tile and the output tile in L2.</summary>
    private const int QueryBlockTarget = 96;

    /// <summary>Target keys per score tile (rounded up to a multiple of MR).</summary>
    private const int KeyBlockTarget = 192;

    public AttentionPlan(GemmKernel kernel, in AttentionOperands op)
    {
        MR = kernel.MR;
        NR = kernel.NR;
        HeadDim = op.HeadDim;
        Keys = op.Keys;
        ValueDim = op.ValueDim;
        QueryAlign = Lcm(MR, NR);
        QueryBlock = QueryAlign * Math.Max(1, (QueryBlockTarget + QueryAlign - 1) / QueryAlign);
        KeyBlock = MR * ((KeyBlockTarget + MR - 1) / MR);
        PaddedValueDim = (op.ValueDim + NR - 1) / NR * NR;
        QueryBlocks = (op.Queries + QueryBlock - 1) / QueryBlock;
        KeyPanels = (op.Keys + MR - 1) / MR;
        KeyFloats = (long)KeyPanels * MR * op.HeadDim;

        // f32 values whose rows split into whole NR panels are read in place; anything else is widened/padded once.
        DirectValues = op.V.DType == DType.F32 && (op.ValueDim == 1 || op.V.Layout.Stride(3) == 1) && op.ValueDim % NR == 0;
        PackedValuePanels = DirectValues ? 0 : PaddedValueDim / NR;
        SharedFloatsPerHead = KeyFloats + ((long)PackedValuePanels * op.Keys * NR);
        ScratchFloats = ((long)op.HeadDim * QueryBlock) + ((long)KeyBlock * QueryBlock) + ((long)QueryBlock * PaddedValueDim) + (4L * QueryBlock);
    }

    public int MR { get; }

    public int NR { get; }

    public int HeadDim { get; }

    public int Keys { get; }

    public int ValueDim { get; }

    /// <summary>lcm(MR, NR): query counts are padded to it so both GEMM sweeps see whole micro-tiles.</summary>
    public int QueryAlign { get; }

    /// <summary>Queries per work item (Bq).</summary>
    public int QueryBlock { get; }

    /// <summary>Keys per score tile (Bk), a multiple of MR.</summary>
    public int KeyBlock { get; }

    /// <summary>Dv rounded up to NR: the output tile's row stride.</summary>
    public int PaddedValueDim { get; }

    public int QueryBlocks { get; }

    /// <summary>MR-key panels of packed K per head.</summary>
    public int KeyPanels { get; }

    public long KeyFloats { get; }

    public bool DirectValues { get; }

    /// <summary>NR-wide panels of packed V per head (0 when V is read in place).</summary>
    public int PackedValuePanels { get; }

    public long SharedFloatsPerHead { get; }

    public long ScratchFloats { get; }

    /// <summary>Packs item <paramref name="index"/> of a kv head's shared block: a K panel [D][MR] for index &lt;
    /// <see cref="KeyPanels"/>, else a V panel [Sk][NR].</summary>
    public void PackKeysOrValues(in AttentionOperands op, int batch, int kvHead, int index, float* destination)
    {
        if (index < KeyPanels)
        {
            int i0 = index * MR;
            StridedMatrix keys = AttentionOperands.Head(op.K, batch, kvHead);
            GemmPacking.PackA(keys, 0, i0, Math.Min(MR, Keys - i0), 0, HeadDim, MR, destination + ((long)i0 * HeadDim));
            return;
        }

        int j0 = (index - KeyPanels) * NR;
        StridedMatrix values = AttentionOperands.Head(op.V, batch, kvHead);
        GemmPacking.PackB(values, 0, 0, Keys, j0, Math.Min(NR, ValueDim - j0), NR, destination + KeyFloats + ((long)j0 * Keys));
    }

    /// <summary>Packs scale·Qᵀ of queries i0..i0+count as NR-query panels [D][NR], zero columns up to width.</summary>
    public void PackQueries(in AttentionOperands op, int batch, int head, int i0, int count, int width, float* destination)
    {
        StridedMatrix transposed = AttentionOperands.HeadTransposed(op.Q, batch, head);
        for (int t = 0; t < width; t += NR)
        {
            GemmPacking.PackB(transposed, 0, 0, HeadDim, i0 + t, Math.Clamp(count - t, 0, NR), NR, destination + ((long)t * HeadDim));
        }

        var all = new Span<float>(destination, width * HeadDim);
        TensorPrimitives.Multiply(all, op.Scale, all);
    }

    /// <summary>Where a kv head's V rows live for the P·V sweep: V[j, t..t+NR) starts at
    /// base + j·<paramref name="rowStride"/> + (t / NR)·<paramref name="panelStride"/>.</summary>
    public float* Values(in AttentionOperands op, float* packed, int batch, int kvHead, out nint rowStride, out long panelStride)
    {
        if (DirectValues)
        {
            StridedMatrix values = AttentionOperands.Head(op.V, batch, kvHead);
            rowStride = (nint)values.RowStride;
            panelStride = NR;
            return (float*)values.Storage + values.Offset;
        }

        rowStride = NR;
        panelStride = (long)Keys * NR;
        return packed + KeyFloats;
    }

    private static int Lcm(int a, int b)
    {
        int x = a;
        int y = b;
        while (y != 0)
        {
            (x, y) = (y, x % y);
        }

        return a / x * b;
    }
}

/// <summary>The regions of one thread's attention scratch.</summary>
/// <remarks>Unsafe: carves <see cref="AttentionPlan.ScratchFloats"/> floats starting at a 64-byte aligned base.</remarks>
internal readonly unsafe struct AttentionScratch
{
    public AttentionScratch(float* scratch, in AttentionPlan plan)
    {
        int qb = plan.QueryBlock;
        Queries = scratch;
        Scores = Queries + ((long)plan.HeadDim * qb);
        Output = Scores + ((long)plan.KeyBlock * qb);
        Max = Output + ((long)qb * plan.PaddedValueDim);
        Sum = Max + qb;
        Alpha = Sum + qb;
        Shift = Alpha + qb;
        OutputStride = plan.PaddedValueDim;
    }

    /// <summary>scale·Qᵀ panels [D][NR].</summary>
    public float* Queries { get; }

    /// <summary>The Sᵀ / Pᵀ tile [Bk][Bq].</summary>
    public float* Scores { get; }

    /// <summary>Unnormalised output [Bq][Dv'].</summary>
    public float* Output { get; }

    public float* Max { get; }

    public float* Sum { get; }

    public float* Alpha { get; }

    public float* Shift { get; }

    public int OutputStride { get; }
}
