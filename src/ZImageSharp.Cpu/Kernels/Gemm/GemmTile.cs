using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

/// <summary>One GEMM work tile: the packed-panel loop nest around the micro-kernel and the store epilogue.</summary>
/// <remarks>Unsafe: scratch pointers come from <see cref="KernelScratch"/> sized by <see cref="ScratchFloats"/>; shared
/// panels were packed by the driver for exactly this tile's columns.</remarks>
internal static unsafe class GemmTile
{
    /// <summary>C tile rows are padded by one cache line so that rows 4 KiB apart do not alias in L1.</summary>
    private const int RowPad = 16;

    /// <summary>Scratch one thread needs: an A block (MC×KC), a B block (KC×NWMax) and a C tile (MC×(NWMax + pad)).</summary>
    public static long ScratchFloats(GemmKernel kernel)
        => ((long)kernel.MC * kernel.KC) + ((long)kernel.KC * kernel.NWMax) + ((long)kernel.MC * (kernel.NWMax + RowPad));

    /// <summary>Packs all K of A's first <paramref name="m"/> rows (batch 0), block by block: block p0 holds
    /// ⌈m/MR⌉ panels of [kc][MR] starting at p0·⌈m/MR⌉·MR floats.</summary>
    public static void PackAllOfA(CpuParallel parallel, GemmKernel kernel, in StridedMatrix a, int m, int k, float* destination)
    {
        int kcMax = kernel.KC;
        int mr = kernel.MR;
        long padded = (long)((m + mr - 1) / mr) * mr;
        StridedMatrix matrix = a;
        int blocks = (k + kcMax - 1) / kcMax;
        parallel.For(blocks, Math.Max(1, (1L << 14) / ((long)m * kcMax)), (start, end) =>
        {
            for (long blk = start; blk < end; blk++)
            {
                int p0 = (int)blk * kcMax;
                GemmPacking.PackA(matrix, 0, 0, m, p0, Math.Min(kcMax, k - p0), mr, destination + (p0 * padded));
            }
        });
    }

    /// <summary>Computes and stores one tile. <paramref name="sharedB"/>, when set, is the packed B slice the tile's
    /// columns lie in; <paramref name="packedA"/>, when not null, holds all of A as written by <see cref="PackAllOfA"/>
    /// (the tile then starts at row 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute<TB>(GemmKernel kernel, in StridedMatrix a, in TB b, in GemmOutput c, int k, Bounds tile, SharedPanels sharedB, float* packedA, float* scratch)
        where TB : struct, IGemmPanelSource
    {
        int mr = kernel.MR;
        int nr = kernel.NR;
        int kcMax = kernel.KC;
        int mPanels = (tile.Rows + mr - 1) / mr;
        int nPanels = (tile.Cols + nr - 1) / nr;
        int ldc = (nPanels * nr) + RowPad;
        float* aBlock = scratch;
        float* bBlock = aBlock + ((long)kernel.MC * kcMax);
        float* cTile = bBlock + ((long)kcMax * kernel.NWMax);
        var run = kernel.Run;

        for (int p0 = 0; p0 < k; p0 += kcMax)
        {
            int kc = Math.Min(kcMax, k - p0);
            float* aPanels = aBlock;
            if (packedA != null)
            {
                aPanels = packedA + ((long)p0 * mPanels * mr);
            }
            else
            {
                GemmPacking.PackA(a, tile.Batch, tile.I0, tile.Rows, p0, kc, mr, aBlock);
            }

            // The tile's B panels for this K block: in the shared slice, or packed here in one pass over the k rows
            // (for a convolution that reads each input row once, front to back).
            float* bPanels = bBlock;
            if (sharedB.Slice != null)
            {
                bPanels = sharedB.Slice + ((long)p0 * sharedB.Panels * nr) + ((long)sharedB.FirstPanel * kc * nr);
            }
            else
            {
                b.PackPanels(tile.Batch, p0, kc, tile.J0, tile.Cols, nr, bBlock);
            }

            // Goto order: a B micro-panel (kc×NR, 32 KiB on AVX-512) stays in L1 while the A block streams past it from
            // L2. (A-panel-outer with B streaming from L2 measured ~20 % slower on Sapphire Rapids.)
            for (int jp = 0; jp < nPanels; jp++)
            {
                float* bp = bPanels + ((long)jp * kc * nr);
                float* ct = cTile + (jp * nr);
                for (int ip = 0; ip < mPanels; ip++)
                {
                    run(kc, aPanels + ((long)ip * mr * kc), mr, bp, nr, ct + ((long)ip * mr * ldc), ldc, p0 > 0);
                }
            }
        }

        Store(c, tile, cTile, ldc);
    }

    /// <summary>The K = 0 product: every element is its bias (or zero).</summary>
    public static void StoreBiasOnly(int batch, int m, int n, in GemmOutput c)
    {
        var row = new float[n];
        for (int bi = 0; bi < batch; bi++)
        {
            for (int i = 0; i < m; i++)
            {
                Array.Clear(row);
                fixed (float* r = row)
                {
                    Store(c, new Bounds(bi, i, 1, 0, n), r, n);
                }
            }
        }
    }

    /// <summary>Adds the biases to the tile's valid part and writes it in the destination dtype (round to nearest even).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Store(in GemmOutput c, Bounds tile, float* cTile, int ldc)
    {
        for (int r = 0; r < tile.Rows; r++)
        {
            var values = new Span<float>(cTile + ((long)r * ldc), tile.Cols);
            if (c.ColumnBias != null)
            {
                TensorPrimitives.Add(values, new ReadOnlySpan<float>(c.ColumnBias + tile.J0, tile.Cols), values);
            }

            if (c.RowBias != null)
            {
                TensorPrimitives.Add(values, c.RowBias[tile.I0 + r], values);
            }

            RowIO.Store(values, c.Storage, c.DType, c.Index(tile.Batch, tile.I0 + r, tile.J0));
        }
    }

    /// <summary>A packed B slice (K block by K block, <see cref="Panels"/> panels of [kc][NR] each) and the index of the
    /// tile's first panel in it; default when the tile packs its own panels.</summary>
    public readonly struct SharedPanels
    {
        public SharedPanels(float* slice, int panels, int firstPanel)
        {
            Slice = slice;
            Panels = panels;
            FirstPanel = firstPanel;
        }

        public float* Slice { get; }

        public int Panels { get; }

        public int FirstPanel { get; }
    }

    /// <summary>A tile: batch, first row and row count, first column and column count.</summary>
    public readonly record struct Bounds(int Batch, int I0, int Rows, int J0, int Cols);
}
