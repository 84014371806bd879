using System.Buffers;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

/// <summary>A function from one f32 input row to one f32 output row of the same length (a norm, a softmax).</summary>
internal interface IRowMap
{
    /// <summary>Writes the result for <paramref name="row"/> into <paramref name="destination"/> (never aliased).</summary>
    void Apply(ReadOnlySpan<float> row, Span<float> destination);
}

/// <summary>
/// Runs an <see cref="IRowMap"/> over every row of x (last dimension, stride 1, other strides arbitrary) into a
/// contiguous destination, rows in parallel; converts to and from f32 only when a side is not F32.
/// </summary>
internal static unsafe class RowMap
{
    /// <summary>Rows per thread chunk are sized so a chunk holds at least this many elements.</summary>
    public const long GrainElements = 1 << 14;

    /// <summary>Rows per parallel chunk for rows of <paramref name="length"/>.</summary>
    public static long Grain(int length) => Math.Max(1, GrainElements / Math.Max(1, length));

    public static void Run<TMap>(CpuParallel parallel, TensorRef x, TensorRef destination, TMap map)
        where TMap : struct, IRowMap
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
        parallel.For(rows.Rows, Grain(d), (start, end) =>
        {
            float[] scratch = ArrayPool<float>.Shared.Rent(2 * d);
            try
            {
                for (long r = start; r < end; r++)
                {
                    ReadOnlySpan<float> row = RowAccess.Read(px, tx, rows.Offset(r), 1, d, scratch);
                    Span<float> y = RowAccess.Target(pd, td, offsetD + (r * d), d, scratch.AsSpan(d));
                    map.Apply(row, y);
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
