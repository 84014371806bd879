using System.Buffers;
using System.Numerics.Tensors;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

// Row ops: softmax and reductions over the last dimension, one row at a time, rows spread over the threads.
internal sealed unsafe partial class CpuKernels
{
    public void Softmax(TensorRef x, TensorRef destination) => RowMap.Run(_parallel, x, destination, default(SoftmaxRow));

    public void Reduce(ReduceOp op, TensorRef x, TensorRef destination)
    {
        var rows = new RowIndexer(x.Layout);
        int d = rows.RowLength;
        if (destination.Layout.ElementCount == 0)
        {
            return;
        }

        byte* px = CpuMemory.Base(x);
        byte* pd = CpuMemory.Base(destination);
        DType tx = x.DType;
        DType td = destination.DType;
        long offsetD = destination.Layout.Offset;
        _parallel.For(rows.Rows, RowMap.Grain(d), (start, end) =>
        {
            // One result per row, gathered for the chunk and stored (converted) at once.
            int count = (int)(end - start);
            float[] scratch = ArrayPool<float>.Shared.Rent(d + count);
            try
            {
                Span<float> results = scratch.AsSpan(d, count);
                for (long r = start; r < end; r++)
                {
                    ReadOnlySpan<float> row = RowAccess.Read(px, tx, rows.Offset(r), 1, d, scratch);
                    results[(int)(r - start)] = ReduceRow(op, row);
                }

                RowIO.Store(results, pd, td, offsetD + start);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        });
    }

    /// <summary>One row's reduction; sums in f64. Max and Min propagate NaN; Sum and L2Norm of an empty row are 0
    /// (Ops rejects the other reductions of an empty row).</summary>
    private static float ReduceRow(ReduceOp op, ReadOnlySpan<float> row) => op switch
    {
        ReduceOp.Sum => (float)RowStatistics.Sum(row),
        ReduceOp.Mean => (float)(RowStatistics.Sum(row) / row.Length),
        ReduceOp.Max => TensorPrimitives.Max(row),
        ReduceOp.Min => TensorPrimitives.Min(row),
        ReduceOp.L2Norm => (float)Math.Sqrt(RowStatistics.SumOfSquares(row)),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown reduction."),
    };

    private readonly struct SoftmaxRow : IRowMap
    {
        public void Apply(ReadOnlySpan<float> row, Span<float> y)
        {
            // Subtracting the maximum keeps every exponent ≤ 0: no overflow, and −∞ entries become exactly 0.
            // A NaN anywhere, or a row of only −∞, gives NaN as in PyTorch.
            SimdLoop.Run(new ExpShiftOperator(TensorPrimitives.Max(row)), row, y);
            TensorPrimitives.Divide(y, (float)RowStatistics.Sum(y), y);
        }
    }
}
