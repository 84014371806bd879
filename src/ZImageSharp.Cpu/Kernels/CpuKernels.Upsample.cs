using System.Runtime.Intrinsics;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

// Nearest-neighbour upsampling moves element bytes (exact for every dtype): each input row [W] becomes one output row
// [W·k] of repeated elements, written once and copied to the other k − 1 output rows.
internal sealed unsafe partial class CpuKernels
{
    public void UpsampleNearest(TensorRef x, int scale, TensorRef destination)
    {
        var (n, c, h, w) = x.Shape.Dims4();
        if (destination.Layout.ElementCount == 0)
        {
            return;
        }

        int size = x.DType.ElementSize();
        byte* src = CpuMemory.Origin(x);
        byte* dst = CpuMemory.Origin(destination);
        long inRowBytes = (long)w * size;
        long outRowBytes = inRowBytes * scale;
        long rows = (long)n * c * h;
        _parallel.For(rows, Math.Max(1, CopyGrainElements / Math.Max(1, (long)w * scale * scale)), (start, end) =>
        {
            for (long r = start; r < end; r++)
            {
                byte* from = src + (r * inRowBytes);
                byte* to = dst + (r * scale * outRowBytes);
                switch (size)
                {
                    case 1:
                        RepeatElements(from, to, w, scale);
                        break;
                    case 2:
                        RepeatElements((ushort*)from, (ushort*)to, w, scale);
                        break;
                    case 4:
                        RepeatElements((uint*)from, (uint*)to, w, scale);
                        break;
                    default:
                        RepeatElements((ulong*)from, (ulong*)to, w, scale);
                        break;
                }

                for (int k = 1; k < scale; k++)
                {
                    Buffer.MemoryCopy(to, to + (k * outRowBytes), outRowBytes, outRowBytes);
                }
            }
        });
    }

    /// <summary>to[i·scale + j] = from[i] for j &lt; scale. Scale 2 (the VAE's case) widens each vector of elements to
    /// twice their width and ORs in a shifted copy, which lays every element down twice in order (little-endian, as
    /// every platform .NET runs on).</summary>
    private static void RepeatElements<T>(T* from, T* to, int w, int scale)
        where T : unmanaged
    {
        int i = 0;
        if (scale == 2 && sizeof(T) <= 4 && Vector256.IsHardwareAccelerated)
        {
            for (; i <= w - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                DoubleElements(Vector256.Load(from + i), to + (2 * i));
            }
        }

        for (; i < w; i++)
        {
            T v = from[i];
            for (int j = 0; j < scale; j++)
            {
                to[(i * scale) + j] = v;
            }
        }
    }

    private static void DoubleElements<T>(Vector256<T> v, T* to)
        where T : unmanaged
    {
        if (typeof(T) == typeof(byte))
        {
            (Vector256<ushort> lo, Vector256<ushort> hi) = Vector256.Widen(v.AsByte());
            (lo | (lo << 8)).Store((ushort*)to);
            (hi | (hi << 8)).Store((ushort*)to + Vector256<ushort>.Count);
        }
        else if (typeof(T) == typeof(ushort))
        {
            (Vector256<uint> lo, Vector256<uint> hi) = Vector256.Widen(v.AsUInt16());
            (lo | (lo << 16)).Store((uint*)to);
            (hi | (hi << 16)).Store((uint*)to + Vector256<uint>.Count);
        }
        else
        {
            (Vector256<ulong> lo, Vector256<ulong> hi) = Vector256.Widen(v.AsUInt32());
            (lo | (lo << 32)).Store((ulong*)to);
            (hi | (hi << 32)).Store((ulong*)to + Vector256<ulong>.Count);
        }
    }
}
