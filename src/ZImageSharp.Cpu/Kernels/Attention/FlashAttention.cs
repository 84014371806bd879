using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

/// <summary>
/// Tiled attention with an online softmax (FlashAttention's schedule on CPU, f32 throughout), built on the GEMM
/// micro-kernels. Per (batch, kv head) K is packed once into MR-key panels [D][MR] and V (when it must be widened or
/// padded) into [Sk][NR] panels, shared by every query head of the group and every query block. A work item is one
/// (query head, query block of Bq rows): Qᵀ·scale is packed as NR-query panels, then per key block of Bk keys
/// Sᵀ = K·Qᵀ is one micro-kernel sweep, <see cref="OnlineSoftmax{TOps, TV}"/> turns it into probabilities in place,
/// and O += P·V is a second sweep that reads Pᵀ straight from the score tile (lda = tile width). No Sq×Sk matrix exists.
/// </summary>
/// <remarks>
/// Scratch: per thread D·Bq + Bk·Bq + Bq·Dv' + 4·Bq floats (Dv' = Dv rounded up to NR); shared, per round of kv heads,
/// ⌈Sk/MR⌉·MR·D floats of K plus Sk·Dv' of V unless V is already f32 with Dv a multiple of NR (then read in place).
/// Rounds take as many kv heads as fit <see cref="SharedBudgetFloats"/> (at least one), so a single huge head
/// (the VAE's 16384 tokens × 512) costs one packed copy of K — the size of one f32 activation.
/// </remarks>
internal static unsafe class FlashAttention
{
    /// <summary>Budget for the packed K/V of one round of heads (16 MiB of f32).</summary>
    private const long SharedBudgetFloats = 4L << 20;

    public static void Run(CpuParallel parallel, GemmKernel kernel, in AttentionOperands op)
    {
        if (op.Batch == 0 || op.QueryHeads == 0 || op.Queries == 0 || op.ValueDim == 0)
        {
            return;
        }

        if (Vector512Ops.IsUsable(kernel.NR))
        {
            Run<Vector512Ops, Vector512<float>>(parallel, kernel, op);
        }
        else if (Vector256Ops.IsUsable(kernel.NR))
        {
            Run<Vector256Ops, Vector256<float>>(parallel, kernel, op);
        }
        else
        {
            Run<Vector128Ops, Vector128<float>>(parallel, kernel, op);
        }
    }

    private static void Run<TOps, TV>(CpuParallel parallel, GemmKernel kernel, AttentionOperands op)
        where TOps : IVectorOps<TV>
        where TV : unmanaged
    {
        var plan = new AttentionPlan(kernel, op);
        int heads = op.Batch * op.KeyHeads;
        int headsPerRound = (int)Math.Clamp(SharedBudgetFloats / Math.Max(1, plan.SharedFloatsPerHead), 1, heads);
        float* shared = KernelScratch.GetDriver(headsPerRound * plan.SharedFloatsPerHead, out NativeMemoryHandle? owned);
        try
        {
            for (int first = 0; first < heads; first += headsPerRound)
            {
                int count = Math.Min(headsPerRound, heads - first);
                int roundStart = first;
                int packItems = plan.KeyPanels + plan.PackedValuePanels;
                parallel.For((long)count * packItems, 1, (start, end) =>
                {
                    for (long item = start; item < end; item++)
                    {
                        int local = (int)(item / packItems);
                        int head = roundStart + local;
                        plan.PackKeysOrValues(op, head / op.KeyHeads, head % op.KeyHeads, (int)(item % packItems), shared + (local * plan.SharedFloatsPerHead));
                    }
                });

                int itemsPerHead = op.Group * plan.QueryBlocks;
                parallel.For((long)count * itemsPerHead, 1, (start, end) =>
                {
                    float* scratch = KernelScratch.Get(plan.ScratchFloats);
                    for (long item = start; item < end; item++)
                    {
                        int local = (int)(item / itemsPerHead);
                        int rest = (int)(item % itemsPerHead);
                        int head = roundStart + local;
                        int batch = head / op.KeyHeads;
                        int queryHead = ((head % op.KeyHeads) * op.Group) + (rest / plan.QueryBlocks);
                        float* packed = shared + (local * plan.SharedFloatsPerHead);
                        QueryBlock<TOps, TV>(kernel, op, plan, batch, queryHead, (rest % plan.QueryBlocks) * plan.QueryBlock, packed, scratch);
                    }
                });
            }
        }
        finally
        {
            owned?.Dispose();
        }
    }

    /// <summary>One work item: queries i0.. of one head against all (visible) keys of its kv head.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void QueryBlock<TOps, TV>(GemmKernel kernel, in AttentionOperands op, in AttentionPlan plan, int batch, int head, int i0, float* packed, float* scratch)
        where TOps : IVectorOps<TV>
        where TV : unmanaged
    {
        int mr = kernel.MR;
        int nr = kernel.NR;
        int d = op.HeadDim;
        int bq = Math.Min(plan.QueryBlock, op.Queries - i0);
        int width = (bq + plan.QueryAlign - 1) / plan.QueryAlign * plan.QueryAlign;
        int ldo = plan.PaddedValueDim;
        var s = new AttentionScratch(scratch, plan);
        var run = kernel.Run;

        plan.PackQueries(op, batch, head, i0, bq, width, s.Queries);
        for (int i = 0; i < width; i++)
        {
            s.Max[i] = float.NegativeInfinity;
            s.Sum[i] = 0f;
        }

        new Span<float>(s.Output, width * ldo).Clear();
        float* values = plan.Values(op, packed, batch, head / op.Group, out nint valueStride, out long valuePanelStride);
        int keyEnd = op.Causal ? Math.Min(op.Keys, i0 + bq) : op.Keys;
        byte* mask = op.Mask == null ? null : op.Mask + ((long)batch * op.Keys);
        for (int j0 = 0; j0 < keyEnd; j0 += plan.KeyBlock)
        {
            int bk = Math.Min(plan.KeyBlock, keyEnd - j0);

            // Sᵀ = K·(scale·Qᵀ): MR keys × NR queries per micro-tile.
            for (int p = 0; p < bk; p += mr)
            {
                float* keys = packed + ((long)(j0 + p) * d);
                for (int t = 0; t < width; t += nr)
                {
                    run(d, keys, mr, s.Queries + ((long)t * d), nr, s.Scores + ((long)p * plan.QueryBlock) + t, plan.QueryBlock, false);
                }
            }

            int causalShift = op.Causal ? j0 - i0 : int.MinValue;
            OnlineSoftmax<TOps, TV>.Update(s.Scores, plan.QueryBlock, bk, width, mask == null ? null : mask + j0, causalShift, s.Max, s.Sum, s.Alpha, s.Shift);
            OnlineSoftmax<TOps, TV>.Rescale(s.Output, ldo, width, ldo, s.Alpha);

            // O += P·V: Pᵀ rows are the A panels in place (MR queries per step, lda = tile width).
            float* valueRows = values + (j0 * valueStride);
            for (int r = 0; r < width; r += mr)
            {
                for (int t = 0; t < ldo; t += nr)
                {
                    run(bk, s.Scores + r, plan.QueryBlock, valueRows + (t / nr * valuePanelStride), valueStride, s.Output + ((long)r * ldo) + t, ldo, true);
                }
            }
        }

        Store(op, batch, head, i0, bq, s);
    }

    /// <summary>Normalises each valid output row by its softmax sum (a query that saw no key keeps zeros) and writes it
    /// in the destination dtype through its own row offset (the destination may be a permuted view).</summary>
    private static void Store(in AttentionOperands op, int batch, int head, int i0, int bq, in AttentionScratch s)
    {
        Layout l = op.Destination.Layout;
        byte* storage = CpuMemory.Base(op.Destination);
        int ldo = s.OutputStride;
        for (int i = 0; i < bq; i++)
        {
            var row = new Span<float>(s.Output + ((long)i * ldo), op.ValueDim);
            float total = s.Sum[i];
            TensorPrimitives.Multiply(row, total > 0f ? 1f / total : 0f, row);
            long offset = l.Offset + (batch * l.Stride(0)) + (head * l.Stride(1)) + ((i0 + i) * l.Stride(2));
            RowIO.Store(row, storage, op.Destination.DType, offset);
        }
    }
}
