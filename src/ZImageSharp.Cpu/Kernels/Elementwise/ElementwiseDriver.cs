using System.Buffers;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

/// <summary>The math of one element-wise op over one run of f32 values.</summary>
internal interface IElementwiseKernel
{
    /// <summary>True when <see cref="Apply"/> takes a length-1 input as a value broadcast over the run (saves
    /// expanding it); otherwise a broadcast input arrives expanded to the run's length.</summary>
    static abstract bool TakesScalars { get; }

    /// <summary>destination = f(a, b) over one run; <paramref name="b"/> is empty for one-input ops. The destination
    /// may be the same memory as an input (in place).</summary>
    void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination);
}

/// <summary>
/// Runs an element-wise op over a contiguous destination and one or two inputs of any strides (0 included) and float
/// dtypes. Dimensions that are contiguous in every input are merged first, so a packed tensor is one long run and a
/// [B, S, D] + [D] bias is B·S runs of D; runs are cut into segments that are spread over the threads.
/// </summary>
/// <remarks>A segment reads all its inputs before it writes, so an input with the destination's layout (in place) is
/// safe; F32 operands with stride 1 are used in place, anything else is converted through a pooled buffer.</remarks>
internal static unsafe class ElementwiseDriver
{
    /// <summary>Elements per segment when values are converted: three 16 KiB buffers stay in L1/L2.</summary>
    private const int ConvertSegment = 4096;

    /// <summary>Elements per segment when every operand is used in place (longer runs amortise the per-call cost).</summary>
    private const int DirectSegment = 1 << 16;

    /// <summary>Below this many elements a thread hand-off costs more than the work.</summary>
    private const long GrainElements = 1 << 15;

    /// <summary>destination = kernel(a[, b]) element-wise; all shapes equal (broadcasts already expressed as stride 0).</summary>
    public static void Run<TKernel>(CpuParallel parallel, TKernel kernel, TensorRef a, TensorRef? b, TensorRef destination)
        where TKernel : struct, IElementwiseKernel
    {
        if (destination.Layout.ElementCount == 0)
        {
            return;
        }

        Coalesce(a.Layout, b?.Layout, out Layout mergedA, out Layout mergedB);
        var rowsA = new RowIndexer(mergedA);
        var rowsB = b is null ? rowsA : new RowIndexer(mergedB);
        int length = rowsA.RowLength;
        bool hasB = b.HasValue;
        DType typeA = a.DType;
        DType typeB = b?.DType ?? DType.F32;
        DType typeD = destination.DType;
        bool direct = typeD == DType.F32
            && IsDirect<TKernel>(typeA, rowsA.InnerStride, length)
            && (!hasB || IsDirect<TKernel>(typeB, rowsB.InnerStride, length));
        int segment = direct ? DirectSegment : ConvertSegment;
        long segments = (length + (long)segment - 1) / segment;
        byte* pa = CpuMemory.Base(a);
        byte* pb = b is { } rb ? CpuMemory.Base(rb) : null;
        byte* pd = CpuMemory.Base(destination);
        long offsetD = destination.Layout.Offset;

        parallel.For(rowsA.Rows * segments, Math.Max(1, GrainElements / Math.Min(length, segment)), (start, end) =>
        {
            float[]? scratch = direct ? null : ArrayPool<float>.Shared.Rent(3 * segment);
            try
            {
                Span<float> buffers = scratch;
                for (long item = start; item < end; item++)
                {
                    long row = item / segments;
                    int first = (int)(item % segments) * segment;
                    int n = Math.Min(segment, length - first);
                    ReadOnlySpan<float> va = Operand<TKernel>(pa, typeA, rowsA.Offset(row) + (first * rowsA.InnerStride), rowsA.InnerStride, n, buffers);
                    ReadOnlySpan<float> vb = hasB
                        ? Operand<TKernel>(pb, typeB, rowsB.Offset(row) + (first * rowsB.InnerStride), rowsB.InnerStride, n, buffers.IsEmpty ? buffers : buffers[segment..])
                        : default;
                    long at = offsetD + (row * length) + first;
                    Span<float> vd = RowAccess.Target(pd, typeD, at, n, buffers.IsEmpty ? buffers : buffers[(2 * segment)..]);
                    kernel.Apply(va, vb, vd);
                    RowAccess.Commit(vd, pd, typeD, at);
                }
            }
            finally
            {
                if (scratch is not null)
                {
                    ArrayPool<float>.Shared.Return(scratch);
                }
            }
        });
    }

    private static bool IsDirect<TKernel>(DType dtype, long innerStride, int length)
        where TKernel : struct, IElementwiseKernel =>
        dtype == DType.F32 && (innerStride == 1 || length == 1 || (innerStride == 0 && TKernel.TakesScalars));

    private static ReadOnlySpan<float> Operand<TKernel>(byte* storage, DType dtype, long offset, long stride, int n, Span<float> scratch)
        where TKernel : struct, IElementwiseKernel
    {
        if (stride == 0 && TKernel.TakesScalars)
        {
            return RowAccess.Read(storage, dtype, offset, 0, 1, scratch);
        }

        return RowAccess.Read(storage, dtype, offset, stride, n, scratch);
    }

    /// <summary>
    /// Drops size-1 dimensions and merges each dimension into the next inner one where that is contiguous for both
    /// inputs (stride = inner stride · inner size, which also holds for two broadcast dimensions), so the innermost
    /// run is as long as the layouts allow. The destination is contiguous, so it never limits a merge.
    /// </summary>
    private static void Coalesce(Layout a, Layout? b, out Layout mergedA, out Layout mergedB)
    {
        int rank = a.Rank;
        ReadOnlySpan<int> dims = a.Shape.Dims;
        ReadOnlySpan<long> stridesA = a.Strides;
        ReadOnlySpan<long> stridesB = b is { } lb ? lb.Strides : stridesA;
        Span<int> sizes = stackalloc int[Math.Max(rank, 1)];
        Span<long> sa = stackalloc long[Math.Max(rank, 1)];
        Span<long> sb = stackalloc long[Math.Max(rank, 1)];
        int m = 0;
        for (int d = rank - 1; d >= 0; d--)
        {
            int size = dims[d];
            if (size == 1)
            {
                continue;
            }

            if (m > 0
                && stridesA[d] == sa[m - 1] * sizes[m - 1]
                && stridesB[d] == sb[m - 1] * sizes[m - 1]
                && (long)sizes[m - 1] * size <= int.MaxValue)
            {
                sizes[m - 1] *= size;
                continue;
            }

            sizes[m] = size;
            sa[m] = stridesA[d];
            sb[m] = stridesB[d];
            m++;
        }

        if (m == 0)
        {
            sizes[0] = 1;
            sa[0] = 1;
            sb[0] = 1;
            m = 1;
        }

        // Collected innermost first; layouts list the outermost first.
        sizes[..m].Reverse();
        sa[..m].Reverse();
        sb[..m].Reverse();
        var shape = new Shape(sizes[..m]);
        mergedA = new Layout(shape, sa[..m], a.Offset);
        mergedB = b is { } l ? new Layout(shape, sb[..m], l.Offset) : mergedA;
    }
}
