using System.Runtime.InteropServices;
using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Safetensors;

/// <summary>Converts runs of stored elements (little-endian bytes of a <see cref="SafetensorsDType"/>) into engine values.</summary>
internal static class TensorDecoder
{
    /// <summary>Decodes <paramref name="destination"/>.Length elements of any loadable type to f32.</summary>
    public static void ToSingle(ReadOnlySpan<byte> source, SafetensorsDType stored, Span<float> destination)
    {
        int n = destination.Length;
        switch (stored)
        {
            case SafetensorsDType.F64:
                ReadOnlySpan<double> doubles = MemoryMarshal.Cast<byte, double>(source)[..n];
                for (int i = 0; i < n; i++)
                {
                    destination[i] = (float)doubles[i];
                }

                break;
            case SafetensorsDType.F8_E4M3:
                Lookup(source[..n], Float8.E4M3, destination);
                break;
            case SafetensorsDType.F8_E5M2:
                Lookup(source[..n], Float8.E5M2, destination);
                break;
            default:
                // Every other loadable type has the same bytes as its natural engine dtype (BOOL is U8 0/1).
                stored.TryGetNaturalDType(out DType natural);
                DTypeConversion.ToSingle(source, natural, destination);
                break;
        }
    }

    /// <summary>Decodes <paramref name="destination"/>.Length elements of an integer or boolean type to i64.</summary>
    public static void ToInt64(ReadOnlySpan<byte> source, SafetensorsDType stored, Span<long> destination)
    {
        int n = destination.Length;
        switch (stored)
        {
            case SafetensorsDType.U8:
            case SafetensorsDType.BOOL:
                for (int i = 0; i < n; i++)
                {
                    destination[i] = source[i];
                }

                break;
            case SafetensorsDType.I32:
                ReadOnlySpan<int> ints = MemoryMarshal.Cast<byte, int>(source)[..n];
                for (int i = 0; i < n; i++)
                {
                    destination[i] = ints[i];
                }

                break;
            case SafetensorsDType.I64:
                MemoryMarshal.Cast<byte, long>(source)[..n].CopyTo(destination);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(stored), stored, "Not an integer type.");
        }
    }

    /// <summary>Encodes i64 values as an integer engine dtype; returns the index of the first value out of range, or -1.</summary>
    public static int FromInt64(ReadOnlySpan<long> source, DType target, Span<byte> destination)
    {
        long min = target switch { DType.U8 => byte.MinValue, DType.I32 => int.MinValue, _ => long.MinValue };
        long max = target switch { DType.U8 => byte.MaxValue, DType.I32 => int.MaxValue, _ => long.MaxValue };
        for (int i = 0; i < source.Length; i++)
        {
            long v = source[i];
            if (v < min || v > max)
            {
                return i;
            }

            switch (target)
            {
                case DType.U8:
                    destination[i] = (byte)v;
                    break;
                case DType.I32:
                    MemoryMarshal.Write(destination[(i * 4)..], (int)v);
                    break;
                case DType.I64:
                    MemoryMarshal.Write(destination[(i * 8)..], v);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(target), target, "Not an integer dtype.");
            }
        }

        return -1;
    }

    private static void Lookup(ReadOnlySpan<byte> codes, ReadOnlySpan<float> table, Span<float> destination)
    {
        for (int i = 0; i < codes.Length; i++)
        {
            destination[i] = table[codes[i]];
        }
    }
}
