using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

/// <summary>
/// Packing: copies blocks of A and B into the k-major f32 panels the micro-kernel streams (A as [k][MR], B as
/// [k][NR]), widening bf16/f16 on the way, so a bf16 weight is never converted as a whole. Panels are zero-padded to
/// full MR/NR so the micro-kernel never sees an edge.
/// </summary>
/// <remarks>Unsafe: the matrices' storage must cover the requested block; destinations hold the padded panel sizes.</remarks>
internal static unsafe class GemmPacking
{
    /// <summary>Elements converted per chunk on transposing paths (bounds the stack buffer).</summary>
    private const int Chunk = 256;

    /// <summary>Packs rows i0..i0+rows, columns k0..k0+kc of A into ⌈rows/mr⌉ panels of [kc][mr] at
    /// <paramref name="destination"/> (panel p at p·mr·kc), zero rows past <paramref name="rows"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(in StridedMatrix a, int batch, int i0, int rows, int k0, int kc, int mr, float* destination)
    {
        for (int p0 = 0; p0 < rows; p0 += mr)
        {
            int r = Math.Min(mr, rows - p0);
            float* d = destination + ((long)p0 * kc);
            long start = a.Index(batch, i0 + p0, k0);
            if (a.RowsAreRuns)
            {
                // Each row is a run along k: transpose it into the panel's column r.
                TransposeRuns(a.Storage, a.DType, start, a.RowStride, a.ColStride, r, kc, d, mr);
            }
            else
            {
                // Column-major A: the panel's k-th row is a unit-stride run of r elements.
                StraightRuns(a.Storage, a.DType, start, a.ColStride, a.RowStride, kc, r, d, mr);
            }

            if (r < mr)
            {
                ZeroColumns(d, kc, r, mr);
            }
        }
    }

    /// <summary>Packs rows k0..k0+kc, columns j0..j0+cols of B into one [kc][nr] panel, zero columns past
    /// <paramref name="cols"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(in StridedMatrix b, int batch, int k0, int kc, int j0, int cols, int nr, float* destination)
    {
        if (cols <= 0)
        {
            new Span<float>(destination, kc * nr).Clear();
            return;
        }

        long start = b.Index(batch, k0, j0);
        if (b.RowsAreRuns)
        {
            StraightRuns(b.Storage, b.DType, start, b.RowStride, b.ColStride, kc, cols, destination, nr);
        }
        else
        {
            // Column-major B (a linear layer's [N, K] weight): each column is a run along k.
            TransposeRuns(b.Storage, b.DType, start, b.ColStride, b.RowStride, cols, kc, destination, nr);
        }

        if (cols < nr)
        {
            ZeroColumns(destination, kc, cols, nr);
        }
    }

    /// <summary>destination[l·step + i] = x[start + l·lineStride + i·elementStride] for l &lt; lines, i &lt; count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StraightRuns(byte* storage, DType dtype, long start, long lineStride, long elementStride, int lines, int count, float* destination, int step)
    {
        if (elementStride == 1 || count == 1)
        {
            if (dtype == DType.F32)
            {
                float* s = (float*)storage + start;
                for (int l = 0; l < lines; l++)
                {
                    Copy(s + (l * lineStride), destination + ((long)l * step), count);
                }

                return;
            }

            if (dtype == DType.BF16)
            {
                ushort* s = (ushort*)storage + start;
                for (int l = 0; l < lines; l++)
                {
                    Widen(s + (l * lineStride), destination + ((long)l * step), count);
                }

                return;
            }
        }

        for (int l = 0; l < lines; l++)
        {
            RowIO.Load(storage, dtype, start + (l * lineStride), elementStride, new Span<float>(destination + ((long)l * step), count));
        }
    }

    /// <summary>destination[i·step + l] = x[start + l·lineStride + i·elementStride] for l &lt; lines, i &lt; count: each
    /// source run becomes a destination column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeRuns(byte* storage, DType dtype, long start, long lineStride, long elementStride, int lines, int count, float* destination, int step)
    {
        if (elementStride == 1 && dtype == DType.F32)
        {
            GemmTranspose.F32((float*)storage + start, lineStride, lines, count, destination, step);
            return;
        }

        if (elementStride == 1 && dtype == DType.BF16)
        {
            GemmTranspose.BF16((ushort*)storage + start, lineStride, lines, count, destination, step);
            return;
        }

        Span<float> buffer = stackalloc float[Chunk];
        for (int l = 0; l < lines; l++)
        {
            long line = start + (l * lineStride);
            for (int i0 = 0; i0 < count; i0 += Chunk)
            {
                int n = Math.Min(Chunk, count - i0);
                Span<float> values = buffer[..n];
                RowIO.Load(storage, dtype, line + (i0 * elementStride), elementStride, values);
                float* d = destination + ((long)i0 * step) + l;
                for (int i = 0; i < n; i++)
                {
                    d[(long)i * step] = values[i];
                }
            }
        }
    }

    /// <summary>A short f32 run (a panel row): vector moves, inlined into the packing loops.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(float* source, float* destination, int count)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= count; i += 16)
            {
                Vector512.Load(source + i).Store(destination + i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= count; i += 8)
            {
                Vector256.Load(source + i).Store(destination + i);
            }
        }

        for (; i < count; i++)
        {
            destination[i] = source[i];
        }
    }

    /// <summary>A short bf16 run widened to f32 (exact: the bits move to the high half), inlined into the packing loops.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Widen(ushort* source, float* destination, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= count; i += 8)
            {
                Vector256.ShiftLeft(Vector256.WidenLower(Vector128.Load(source + i).ToVector256Unsafe()), 16).AsSingle().Store(destination + i);
            }
        }

        for (; i < count; i++)
        {
            ((uint*)destination)[i] = (uint)source[i] << 16;
        }
    }

    /// <summary>Zeroes a short run (padding inside a panel row), without a call for the common empty case.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Zero(float* destination, int count)
    {
        if (count > 0)
        {
            new Span<float>(destination, count).Clear();
        }
    }

    /// <summary>Zeroes columns from..to of a [lines][step] panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ZeroColumns(float* panel, int lines, int from, int step)
    {
        int width = step - from;
        for (int l = 0; l < lines; l++)
        {
            new Span<float>(panel + ((long)l * step) + from, width).Clear();
        }
    }
}
