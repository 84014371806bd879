using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ZImageSharp.Tensors;

/// <summary>
/// Vectorised element conversions between host spans: the widening/narrowing every backend and loader needs at the
/// boundary between storage dtypes and f32 arithmetic.
/// </summary>
public static class DTypeConversion
{
    /// <summary>Widens bfloat16 to f32 (exact).</summary>
    public static void Widen(ReadOnlySpan<BFloat16> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("Destination is shorter than the source.", nameof(destination));
        }

        ReadOnlySpan<ushort> src = MemoryMarshal.Cast<BFloat16, ushort>(source);
        Span<uint> dst = MemoryMarshal.Cast<float, uint>(destination);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= src.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            {
                var v = Vector256.Create(src.Slice(i, Vector256<ushort>.Count));
                var (lo, hi) = Vector256.Widen(v);
                Vector256.ShiftLeft(lo, 16).CopyTo(dst.Slice(i));
                Vector256.ShiftLeft(hi, 16).CopyTo(dst.Slice(i + Vector256<uint>.Count));
            }
        }

        for (; i < src.Length; i++)
        {
            dst[i] = (uint)src[i] << 16;
        }
    }

    /// <summary>Narrows f32 to bfloat16, rounding to nearest even; NaN stays a quiet NaN with its sign.</summary>
    public static void Narrow(ReadOnlySpan<float> source, Span<BFloat16> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("Destination is shorter than the source.", nameof(destination));
        }

        ReadOnlySpan<uint> src = MemoryMarshal.Cast<float, uint>(source);
        Span<ushort> dst = MemoryMarshal.Cast<BFloat16, ushort>(destination);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var bias = Vector256.Create(0x7FFFu);
            var one = Vector256.Create(1u);
            var absMask = Vector256.Create(0x7FFF_FFFFu);
            var inf = Vector256.Create(0x7F80_0000u);
            var quiet = Vector256.Create(0x0040_0000u);
            int step = Vector256<ushort>.Count;
            for (; i <= src.Length - step; i += step)
            {
                var a = Round(Vector256.Create(src.Slice(i, Vector256<uint>.Count)));
                var b = Round(Vector256.Create(src.Slice(i + Vector256<uint>.Count, Vector256<uint>.Count)));
                Vector256.Narrow(a, b).CopyTo(dst.Slice(i));
            }

            Vector256<uint> Round(Vector256<uint> bits)
            {
                var rounded = (bits + bias + ((bits >> 16) & one)) >> 16;
                var nan = Vector256.GreaterThan(bits & absMask, inf);
                return Vector256.ConditionalSelect(nan, (bits | quiet) >> 16, rounded);
            }
        }

        for (; i < src.Length; i++)
        {
            dst[i] = BFloat16.RoundToBits(BitConverter.UInt32BitsToSingle(src[i]));
        }
    }

    /// <summary>Converts a run of elements stored as <paramref name="dtype"/> to f32.</summary>
    /// <param name="source">Raw little-endian bytes, <paramref name="destination"/>.Length elements long.</param>
    /// <param name="dtype">Storage type of the source.</param>
    /// <param name="destination">Receives the values.</param>
    public static void ToSingle(ReadOnlySpan<byte> source, DType dtype, Span<float> destination)
    {
        int n = destination.Length;
        switch (dtype)
        {
            case DType.F32:
                MemoryMarshal.Cast<byte, float>(source)[..n].CopyTo(destination);
                break;
            case DType.BF16:
                Widen(MemoryMarshal.Cast<byte, BFloat16>(source)[..n], destination);
                break;
            case DType.F16:
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source)[..n], destination);
                break;
            case DType.I32:
                TensorPrimitives.ConvertChecked(MemoryMarshal.Cast<byte, int>(source)[..n], destination);
                break;
            case DType.I64:
                TensorPrimitives.ConvertChecked(MemoryMarshal.Cast<byte, long>(source)[..n], destination);
                break;
            case DType.U8:
                TensorPrimitives.ConvertChecked(source[..n], destination);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype.");
        }
    }

    /// <summary>Converts f32 values to <paramref name="dtype"/>: floats round to nearest even; integers truncate toward
    /// zero and saturate at the type's range (NaN becomes 0).</summary>
    public static void FromSingle(ReadOnlySpan<float> source, DType dtype, Span<byte> destination)
    {
        int n = source.Length;
        switch (dtype)
        {
            case DType.F32:
                source.CopyTo(MemoryMarshal.Cast<byte, float>(destination));
                break;
            case DType.BF16:
                Narrow(source, MemoryMarshal.Cast<byte, BFloat16>(destination)[..n]);
                break;
            case DType.F16:
                TensorPrimitives.ConvertToHalf(source, MemoryMarshal.Cast<byte, Half>(destination)[..n]);
                break;
            case DType.I32:
                TensorPrimitives.ConvertSaturating(source, MemoryMarshal.Cast<byte, int>(destination)[..n]);
                break;
            case DType.I64:
                TensorPrimitives.ConvertSaturating(source, MemoryMarshal.Cast<byte, long>(destination)[..n]);
                break;
            case DType.U8:
                TensorPrimitives.ConvertSaturating(source, destination[..n]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype.");
        }
    }
}
