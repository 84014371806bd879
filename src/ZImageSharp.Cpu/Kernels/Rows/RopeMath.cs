using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ZImageSharp.Cpu;

/// <summary>
/// Rotary embedding of one head vector. Both layouts compute each output as (x1·c) − (x2·s) or (x1·s) + (x2·c) with
/// separate roundings, in the vector body and the scalar tail alike, so the result does not depend on an element's
/// position and matches the composite form.
/// </summary>
internal static class RopeMath
{
    /// <summary>Pairs (x[i], x[i + D/2]) rotate by angle i (Llama/Qwen3 rotate_half); cos, sin have D/2 entries.</summary>
    public static void HalfSplit(ReadOnlySpan<float> x, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin, Span<float> destination)
    {
        int half = cos.Length;
        ReadOnlySpan<float> x1 = x[..half];
        ReadOnlySpan<float> x2 = x.Slice(half, half);
        Span<float> y1 = destination[..half];
        Span<float> y2 = destination.Slice(half, half);
        ref float a = ref MemoryMarshal.GetReference(x1);
        ref float b = ref MemoryMarshal.GetReference(x2);
        ref float c = ref MemoryMarshal.GetReference(cos);
        ref float s = ref MemoryMarshal.GetReference(sin);
        ref float o1 = ref MemoryMarshal.GetReference(y1);
        ref float o2 = ref MemoryMarshal.GetReference(y2);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= half - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var va = Vector512.LoadUnsafe(ref a, (nuint)i);
                var vb = Vector512.LoadUnsafe(ref b, (nuint)i);
                var vc = Vector512.LoadUnsafe(ref c, (nuint)i);
                var vs = Vector512.LoadUnsafe(ref s, (nuint)i);
                ((va * vc) - (vb * vs)).StoreUnsafe(ref o1, (nuint)i);
                ((va * vs) + (vb * vc)).StoreUnsafe(ref o2, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= half - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var va = Vector256.LoadUnsafe(ref a, (nuint)i);
                var vb = Vector256.LoadUnsafe(ref b, (nuint)i);
                var vc = Vector256.LoadUnsafe(ref c, (nuint)i);
                var vs = Vector256.LoadUnsafe(ref s, (nuint)i);
                ((va * vc) - (vb * vs)).StoreUnsafe(ref o1, (nuint)i);
                ((va * vs) + (vb * vc)).StoreUnsafe(ref o2, (nuint)i);
            }
        }

        for (; i <= half - Vector128<float>.Count; i += Vector128<float>.Count)
        {
            var va = Vector128.LoadUnsafe(ref a, (nuint)i);
            var vb = Vector128.LoadUnsafe(ref b, (nuint)i);
            var vc = Vector128.LoadUnsafe(ref c, (nuint)i);
            var vs = Vector128.LoadUnsafe(ref s, (nuint)i);
            ((va * vc) - (vb * vs)).StoreUnsafe(ref o1, (nuint)i);
            ((va * vs) + (vb * vc)).StoreUnsafe(ref o2, (nuint)i);
        }

        for (; i < half; i++)
        {
            float p = x1[i];
            float q = x2[i];
            y1[i] = (p * cos[i]) - (q * sin[i]);
            y2[i] = (p * sin[i]) + (q * cos[i]);
        }
    }

    /// <summary>Expands the D/2 angles of one position for <see cref="Interleaved"/>: cosPairs[2i] = cosPairs[2i+1] =
    /// cos i, sinPairs[2i] = −sin i, sinPairs[2i+1] = +sin i.</summary>
    public static void ExpandInterleaved(ReadOnlySpan<float> cos, ReadOnlySpan<float> sin, Span<float> cosPairs, Span<float> sinPairs)
    {
        for (int i = 0; i < cos.Length; i++)
        {
            cosPairs[2 * i] = cos[i];
            cosPairs[(2 * i) + 1] = cos[i];
            sinPairs[2 * i] = -sin[i];
            sinPairs[(2 * i) + 1] = sin[i];
        }
    }

    /// <summary>Pairs (x[2i], x[2i+1]) rotate by angle i (the complex form): y[j] = x[j]·cosPairs[j] + x[j^1]·sinPairs[j],
    /// with the tables from <see cref="ExpandInterleaved"/>, so pairs never need de-interleaving.</summary>
    public static void Interleaved(ReadOnlySpan<float> x, ReadOnlySpan<float> cosPairs, ReadOnlySpan<float> sinPairs, Span<float> destination)
    {
        int n = x.Length;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float c = ref MemoryMarshal.GetReference(cosPairs);
        ref float s = ref MemoryMarshal.GetReference(sinPairs);
        ref float o = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var v = Vector512.LoadUnsafe(ref xs, (nuint)i);
                var vc = Vector512.LoadUnsafe(ref c, (nuint)i);
                var vs = Vector512.LoadUnsafe(ref s, (nuint)i);
                ((v * vc) + (Vector512.Shuffle(v, Vector512.Create(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14)) * vs)).StoreUnsafe(ref o, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref xs, (nuint)i);
                var vc = Vector256.LoadUnsafe(ref c, (nuint)i);
                var vs = Vector256.LoadUnsafe(ref s, (nuint)i);
                ((v * vc) + (Vector256.Shuffle(v, Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6)) * vs)).StoreUnsafe(ref o, (nuint)i);
            }
        }

        for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
        {
            var v = Vector128.LoadUnsafe(ref xs, (nuint)i);
            var vc = Vector128.LoadUnsafe(ref c, (nuint)i);
            var vs = Vector128.LoadUnsafe(ref s, (nuint)i);
            ((v * vc) + (Vector128.Shuffle(v, Vector128.Create(1, 0, 3, 2)) * vs)).StoreUnsafe(ref o, (nuint)i);
        }

        for (; i < n; i++)
        {
            destination[i] = (x[i] * cosPairs[i]) + (x[i ^ 1] * sinPairs[i]);
        }
    }
}
