using System.Runtime.InteropServices;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

/// <summary>
/// Moves one row between storage of any dtype and an f32 working buffer: kernels compute in f32 and convert only at
/// this boundary (bf16/f16 widened exactly, narrowed with round-to-nearest-even).
/// </summary>
internal static unsafe class RowIO
{
    /// <summary>Reads <paramref name="destination"/>.Length elements starting at storage element
    /// <paramref name="offset"/>, <paramref name="stride"/> elements apart (0 broadcasts one value).</summary>
    public static void Load(byte* storage, DType dtype, long offset, long stride, Span<float> destination)
    {
        int n = destination.Length;
        int size = dtype.ElementSize();
        byte* p = storage + (offset * size);
        if (stride == 1 || n == 1)
        {
            DTypeConversion.ToSingle(new ReadOnlySpan<byte>(p, n * size), dtype, destination);
            return;
        }

        if (stride == 0)
        {
            Span<float> one = stackalloc float[1];
            DTypeConversion.ToSingle(new ReadOnlySpan<byte>(p, size), dtype, one);
            destination.Fill(one[0]);
            return;
        }

        switch (dtype)
        {
            case DType.F32:
                for (int i = 0; i < n; i++)
                {
                    destination[i] = ((float*)p)[i * stride];
                }

                break;
            case DType.BF16:
                for (int i = 0; i < n; i++)
                {
                    destination[i] = ((BFloat16*)p)[i * stride];
                }

                break;
            case DType.F16:
                for (int i = 0; i < n; i++)
                {
                    destination[i] = (float)((Half*)p)[i * stride];
                }

                break;
            default:
                Span<float> value = stackalloc float[1];
                for (int i = 0; i < n; i++)
                {
                    DTypeConversion.ToSingle(new ReadOnlySpan<byte>(p + (i * stride * size), size), dtype, value);
                    destination[i] = value[0];
                }

                break;
        }
    }

    /// <summary>Writes <paramref name="source"/> to consecutive storage elements starting at <paramref name="offset"/>.</summary>
    public static void Store(ReadOnlySpan<float> source, byte* storage, DType dtype, long offset)
    {
        int size = dtype.ElementSize();
        DTypeConversion.FromSingle(source, dtype, new Span<byte>(storage + (offset * size), source.Length * size));
    }

    /// <summary>A typed span over consecutive storage elements (for F32 fast paths that skip the working buffer).</summary>
    public static Span<T> Span<T>(byte* storage, long offset, int length)
        where T : unmanaged => new((T*)storage + offset, length);

    /// <summary>Reinterprets a float span as its raw bytes.</summary>
    public static Span<byte> Bytes(Span<float> values) => MemoryMarshal.AsBytes(values);
}
