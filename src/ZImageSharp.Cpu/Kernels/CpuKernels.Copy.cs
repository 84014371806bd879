using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

// Data movement: strided copies (with dtype conversion), fills and gathers. Same-dtype copies move bytes, so they are
// exact for every dtype; conversions between float types go through f32, between integer types through long.
internal sealed unsafe partial class CpuKernels
{
    /// <summary>Rows shorter than this are copied by one thread (a thread hand-off costs more than the copy).</summary>
    private const int CopyGrainElements = 1 << 15;

    public void Copy(TensorRef source, TensorRef destination)
    {
        if (source.Layout.ElementCount == 0)
        {
            return;
        }

        byte* src = CpuMemory.Base(source);
        byte* dst = CpuMemory.Base(destination);
        if (source.DType == destination.DType && source.Layout.IsContiguous && destination.Layout.IsContiguous)
        {
            int size = source.DType.ElementSize();
            long count = source.Layout.ElementCount;
            byte* s = src + (source.Layout.Offset * size);
            byte* d = dst + (destination.Layout.Offset * size);
            _parallel.For(count, CopyGrainElements, (start, end) =>
                Buffer.MemoryCopy(s + (start * size), d + (start * size), (end - start) * size, (end - start) * size));
            return;
        }

        var srcRows = new RowIndexer(source.Layout);
        var dstRows = new RowIndexer(destination.Layout);
        int length = srcRows.RowLength;
        _parallel.For(srcRows.Rows, Math.Max(1, CopyGrainElements / Math.Max(1, length)), (start, end) =>
        {
            float[]? buffer = null;
            for (long r = start; r < end; r++)
            {
                CopyRow(src, source.DType, srcRows.Offset(r), srcRows.InnerStride, dst, destination.DType, dstRows.Offset(r), dstRows.InnerStride, length, ref buffer);
            }
        });
    }

    public void Fill(TensorRef destination, double value)
    {
        if (destination.Layout.ElementCount == 0)
        {
            return;
        }

        DType dtype = destination.DType;
        long bits = ScalarBits(value, dtype);
        byte* dst = CpuMemory.Base(destination);
        var rows = new RowIndexer(destination.Layout);
        int length = rows.RowLength;
        _parallel.For(rows.Rows, Math.Max(1, CopyGrainElements / Math.Max(1, length)), (start, end) =>
        {
            for (long r = start; r < end; r++)
            {
                FillRow(dst, dtype, rows.Offset(r), rows.InnerStride, length, bits);
            }
        });
    }

    public void IndexSelect(TensorRef source, TensorRef indices, int dim, TensorRef destination)
    {
        Shape shape = source.Shape;
        long outer = shape.Product(0, dim);
        long inner = shape.Product(dim + 1, shape.Rank);
        int size = shape[dim];
        int count = indices.Shape[0];
        int elementSize = source.DType.ElementSize();
        long rowBytes = inner * elementSize;
        byte* src = CpuMemory.Origin(source);
        byte* dst = CpuMemory.Origin(destination);
        byte* idx = CpuMemory.Origin(indices);
        bool wide = indices.DType == DType.I64;
        _parallel.For(outer * count, Math.Max(1, CopyGrainElements / Math.Max(1, inner)), (start, end) =>
        {
            for (long t = start; t < end; t++)
            {
                long o = t / count;
                long i = t % count;
                long index = wide ? ((long*)idx)[i] : ((int*)idx)[i];
                byte* from = src + ((((o * size) + index) * inner) * elementSize);
                byte* to = dst + ((((o * count) + i) * inner) * elementSize);
                Buffer.MemoryCopy(from, to, rowBytes, rowBytes);
            }
        });
    }

    private static void CopyRow(byte* src, DType srcType, long srcOffset, long srcStride, byte* dst, DType dstType, long dstOffset, long dstStride, int length, ref float[]? buffer)
    {
        if (srcType == dstType)
        {
            CopySameType(src, dst, srcType.ElementSize(), srcOffset, srcStride, dstOffset, dstStride, length);
            return;
        }

        if (srcType.IsInteger() && dstType.IsInteger())
        {
            for (int i = 0; i < length; i++)
            {
                long v = ReadInteger(src, srcType, srcOffset + (i * srcStride));
                WriteInteger(dst, dstType, dstOffset + (i * dstStride), v);
            }

            return;
        }

        buffer ??= new float[length];
        Span<float> row = buffer.AsSpan(0, length);
        RowIO.Load(src, srcType, srcOffset, srcStride, row);
        if (dstStride == 1 || length == 1)
        {
            RowIO.Store(row, dst, dstType, dstOffset);
            return;
        }

        // Strided destination: convert one element at a time into its slot.
        int dstSize = dstType.ElementSize();
        for (int i = 0; i < length; i++)
        {
            DTypeConversion.FromSingle(row.Slice(i, 1), dstType, new Span<byte>(dst + ((dstOffset + (i * dstStride)) * dstSize), dstSize));
        }
    }

    private static void CopySameType(byte* src, byte* dst, int size, long srcOffset, long srcStride, long dstOffset, long dstStride, int length)
    {
        byte* s = src + (srcOffset * size);
        byte* d = dst + (dstOffset * size);
        if (srcStride == 1 && dstStride == 1)
        {
            Buffer.MemoryCopy(s, d, (long)length * size, (long)length * size);
            return;
        }

        switch (size)
        {
            case 1:
                for (int i = 0; i < length; i++)
                {
                    d[i * dstStride] = s[i * srcStride];
                }

                break;
            case 2:
                for (int i = 0; i < length; i++)
                {
                    ((ushort*)d)[i * dstStride] = ((ushort*)s)[i * srcStride];
                }

                break;
            case 4:
                for (int i = 0; i < length; i++)
                {
                    ((uint*)d)[i * dstStride] = ((uint*)s)[i * srcStride];
                }

                break;
            default:
                for (int i = 0; i < length; i++)
                {
                    ((ulong*)d)[i * dstStride] = ((ulong*)s)[i * srcStride];
                }

                break;
        }
    }

    private static void FillRow(byte* dst, DType dtype, long offset, long stride, int length, long bits)
    {
        int size = dtype.ElementSize();
        byte* d = dst + (offset * size);
        switch (size)
        {
            case 1:
                for (int i = 0; i < length; i++)
                {
                    d[i * stride] = (byte)bits;
                }

                break;
            case 2:
                if (stride == 1)
                {
                    new Span<ushort>(d, length).Fill((ushort)bits);
                    break;
                }

                for (int i = 0; i < length; i++)
                {
                    ((ushort*)d)[i * stride] = (ushort)bits;
                }

                break;
            case 4:
                if (stride == 1)
                {
                    new Span<uint>(d, length).Fill((uint)bits);
                    break;
                }

                for (int i = 0; i < length; i++)
                {
                    ((uint*)d)[i * stride] = (uint)bits;
                }

                break;
            default:
                for (int i = 0; i < length; i++)
                {
                    ((long*)d)[i * stride] = bits;
                }

                break;
        }
    }

    /// <summary>The bit pattern of <paramref name="value"/> stored as <paramref name="dtype"/> (floats round to nearest
    /// even; integers truncate toward zero and saturate).</summary>
    private static long ScalarBits(double value, DType dtype) => dtype switch
    {
        DType.F32 => BitConverter.SingleToUInt32Bits((float)value),
        DType.BF16 => BFloat16.RoundToBits((float)value),
        DType.F16 => BitConverter.HalfToUInt16Bits((Half)value),
        DType.I32 => double.IsNaN(value) ? 0 : (int)Math.Clamp(Math.Truncate(value), int.MinValue, int.MaxValue),
        DType.I64 => double.IsNaN(value) ? 0 : (long)Math.Clamp(Math.Truncate(value), long.MinValue, long.MaxValue),
        DType.U8 => double.IsNaN(value) ? 0 : (byte)Math.Clamp(Math.Truncate(value), 0, 255),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    private static long ReadInteger(byte* p, DType dtype, long index) => dtype switch
    {
        DType.I32 => ((int*)p)[index],
        DType.I64 => ((long*)p)[index],
        _ => p[index],
    };

    private static void WriteInteger(byte* p, DType dtype, long index, long value)
    {
        switch (dtype)
        {
            case DType.I32:
                ((int*)p)[index] = (int)Math.Clamp(value, int.MinValue, int.MaxValue);
                break;
            case DType.I64:
                ((long*)p)[index] = value;
                break;
            default:
                p[index] = (byte)Math.Clamp(value, 0, 255);
                break;
        }
    }
}
