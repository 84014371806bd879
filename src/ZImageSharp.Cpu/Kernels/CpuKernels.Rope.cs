using System.Buffers;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

// Rotary embedding over the head rows of x [B, S, H, D]; the angle tables [Bt, S, D/2] are shared by all heads of a
// position (and by the whole batch when Bt = 1).
internal sealed unsafe partial class CpuKernels
{
    public void Rope(TensorRef x, TensorRef cos, TensorRef sin, RopeLayout layout, TensorRef destination)
    {
        var (_, seq, heads, d) = x.Shape.Dims4();
        if (destination.Layout.ElementCount == 0)
        {
            return;
        }

        int half = d / 2;
        var rows = new RowIndexer(x.Layout);
        bool perBatch = cos.Shape[0] != 1;
        float* pc = CpuMemory.Origin<float>(cos);
        float* ps = CpuMemory.Origin<float>(sin);
        byte* px = CpuMemory.Base(x);
        byte* pd = CpuMemory.Base(destination);
        DType tx = x.DType;
        DType td = destination.DType;
        long offsetD = destination.Layout.Offset;
        bool interleaved = layout == RopeLayout.Interleaved;
        _parallel.For(rows.Rows, RowMap.Grain(d), (start, end) =>
        {
            // x row, output row, and the interleaved tables of the current position.
            float[] scratch = ArrayPool<float>.Shared.Rent(4 * d);
            try
            {
                Span<float> cosPairs = scratch.AsSpan(2 * d, d);
                Span<float> sinPairs = scratch.AsSpan(3 * d, d);
                long expanded = -1;
                for (long r = start; r < end; r++)
                {
                    long position = r / heads;
                    long b = position / seq;
                    long table = (((perBatch ? b : 0) * seq) + (position % seq)) * half;
                    var c = new ReadOnlySpan<float>(pc + table, half);
                    var s = new ReadOnlySpan<float>(ps + table, half);
                    ReadOnlySpan<float> row = RowAccess.Read(px, tx, rows.Offset(r), 1, d, scratch);
                    Span<float> y = RowAccess.Target(pd, td, offsetD + (r * d), d, scratch.AsSpan(d, d));
                    if (interleaved)
                    {
                        // Consecutive rows are the heads of one position: expand its tables once for all of them.
                        if (table != expanded)
                        {
                            RopeMath.ExpandInterleaved(c, s, cosPairs, sinPairs);
                            expanded = table;
                        }

                        RopeMath.Interleaved(row, cosPairs, sinPairs, y);
                    }
                    else
                    {
                        RopeMath.HalfSplit(row, c, s, y);
                    }

                    RowAccess.Commit(y, pd, td, offsetD + (r * d));
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        });
    }
}
