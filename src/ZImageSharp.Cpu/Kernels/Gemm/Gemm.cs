namespace ZImageSharp.Cpu;

/// <summary>
/// A cache-blocked, packed, multi-threaded f32 GEMM in the Goto/BLIS structure: C[b] = A[b] · B[b] (+ bias) for
/// [M, K] · [K, N], A a strided matrix of any float dtype, B any <see cref="IGemmPanelSource"/>.
/// </summary>
/// <remarks>
/// <para>Loop nest of one work tile (MC rows × up to NWMax columns): for each K block of KC, pack the A block into
/// MR-row panels (L2), then for each NR-column B micro-panel (L1) run the micro-kernel down all A panels. Partial sums
/// live in a per-thread f32 C tile, so bias, dtype conversion and edges are handled once, when the tile is stored.</para>
/// <para>Two plans. Small M (≤ MC: the adaLN/timestep projections, convolutions with few output channels): A is packed
/// once for all tiles, tiles split N (and the batch), and each thread packs the B panels it alone uses. Large M: N is
/// cut into slices whose packed B (all K × slice width) fits a fixed budget; the threads pack a slice together, then
/// share it across M blocks × column groups. Blocks, slices and groups are balanced (sizes differ by at most one
/// panel) and the tile count is chosen to divide evenly among the threads where possible.</para>
/// </remarks>
internal static unsafe class Gemm
{
    /// <summary>Budget for one shared packed B slice (8 MiB of f32): a few slices' worth stays in L3.</summary>
    public const long SharedSliceFloats = 2L << 20;

    /// <summary>Tiles wanted per thread (more only when the tile count would not divide evenly).</summary>
    private const int TilesPerThread = 2;

    /// <summary>Multiply-adds below which a thread hand-off costs more than it saves.</summary>
    private const long MinParallelWork = 1L << 17;

    /// <summary>Runs the GEMM with <paramref name="kernel"/> on all of <paramref name="parallel"/>'s threads.</summary>
    /// <remarks><paramref name="sliceBudgetFloats"/> is the size of a shared packed B slice; tests shrink it to run the
    /// multi-slice path on small matrices.</remarks>
    public static void Run<TB>(CpuParallel parallel, GemmKernel kernel, int batch, int m, int n, int k, in StridedMatrix a, in TB b, in GemmOutput c, long sliceBudgetFloats = SharedSliceFloats)
        where TB : struct, IGemmPanelSource
    {
        if (batch <= 0 || m <= 0 || n <= 0)
        {
            return;
        }

        if (k == 0)
        {
            GemmTile.StoreBiasOnly(batch, m, n, c);
        }
        else if (m <= kernel.MC)
        {
            RunSmallM(parallel, kernel, batch, m, n, k, a, b, c);
        }
        else
        {
            RunShared(parallel, kernel, batch, m, n, k, a, b, c, sliceBudgetFloats);
        }
    }

    private static void RunSmallM<TB>(CpuParallel parallel, GemmKernel kernel, int batch, int m, int n, int k, StridedMatrix a, TB b, GemmOutput c)
        where TB : struct, IGemmPanelSource
    {
        int nr = kernel.NR;
        int panels = CeilDiv(n, nr);
        int groups = GroupCount(panels, batch, parallel.Threads, kernel);
        long items = (long)batch * groups;
        long minItems = MinItems((long)m * k * n / groups);
        long scratchFloats = GemmTile.ScratchFloats(kernel);

        // A (≤ MC rows) is packed once for all tiles when every batch shares it (conv weights, a single matrix).
        bool sharedA = batch == 1 || a.BatchStride == 0;
        NativeMemoryHandle? owned = null;
        float* packedA = sharedA ? KernelScratch.GetDriver((long)CeilDiv(m, kernel.MR) * kernel.MR * k, out owned) : null;
        try
        {
            if (sharedA)
            {
                GemmTile.PackAllOfA(parallel, kernel, a, m, k, packedA);
            }

            parallel.For(items, minItems, (start, end) =>
            {
                float* scratch = KernelScratch.Get(scratchFloats);
                for (long item = start; item < end; item++)
                {
                    int g = (int)(item % groups);
                    int j0 = Split(panels, groups, g) * nr;
                    int j1 = Math.Min(n, Split(panels, groups, g + 1) * nr);
                    var tile = new GemmTile.Bounds((int)(item / groups), 0, m, j0, j1 - j0);
                    GemmTile.Compute(kernel, a, b, c, k, tile, default, packedA, scratch);
                }
            });
        }
        finally
        {
            owned?.Dispose();
        }
    }

    private static void RunShared<TB>(CpuParallel parallel, GemmKernel kernel, int batch, int m, int n, int k, StridedMatrix a, TB b, GemmOutput c, long sliceBudgetFloats)
        where TB : struct, IGemmPanelSource
    {
        int nr = kernel.NR;
        int mr = kernel.MR;

        // Balanced blocks: M in ⌈M/MC⌉ blocks of whole MR panels, N in equal slices (sizes differ by at most a panel).
        int rowPanels = CeilDiv(m, mr);
        int mBlocks = CeilDiv(m, kernel.MC);
        int maxSlice = SliceWidth(k, n, kernel, sliceBudgetFloats);
        int slices = CeilDiv(n, maxSlice);
        int sliceWidth = CeilDiv(CeilDiv(n, slices), nr) * nr;
        long scratchFloats = GemmTile.ScratchFloats(kernel);
        float* slice = KernelScratch.GetDriver((long)sliceWidth * k, out NativeMemoryHandle? owned);
        try
        {
            for (int bi = 0; bi < batch; bi++)
            {
                for (int j0 = 0; j0 < n; j0 += sliceWidth)
                {
                    int sliceCols = Math.Min(sliceWidth, n - j0);
                    int panels = CeilDiv(sliceCols, nr);
                    int batchIndex = bi;
                    int sliceStart = j0;

                    // Slice layout: K block by K block, each holding all panels [kc][NR] back to back, so the panels a
                    // tile streams for one K block are contiguous (panels K·NR apart would alias in L2's sets).
                    int packGroups = Math.Min(panels, 2 * parallel.Threads);
                    parallel.For(packGroups, MinItems((long)k * sliceCols * 8 / packGroups), (start, end) =>
                    {
                        for (long g = start; g < end; g++)
                        {
                            int first = Split(panels, packGroups, (int)g);
                            int col = first * nr;
                            int cols = Math.Min(sliceCols, Split(panels, packGroups, (int)g + 1) * nr) - col;
                            for (int p0 = 0; p0 < k; p0 += kernel.KC)
                            {
                                int kc = Math.Min(kernel.KC, k - p0);
                                float* panel = slice + ((long)p0 * panels * nr) + ((long)first * kc * nr);
                                b.PackPanels(batchIndex, p0, kc, sliceStart + col, cols, nr, panel);
                            }
                        }
                    });

                    int groups = GroupCount(panels, mBlocks, parallel.Threads, kernel);
                    parallel.For((long)mBlocks * groups, MinItems((long)m * k * sliceCols / (mBlocks * groups)), (start, end) =>
                    {
                        float* scratch = KernelScratch.Get(scratchFloats);
                        for (long item = start; item < end; item++)
                        {
                            int mb = (int)(item / groups);
                            int g = (int)(item % groups);
                            int i0 = Split(rowPanels, mBlocks, mb) * mr;
                            int i1 = Math.Min(m, Split(rowPanels, mBlocks, mb + 1) * mr);
                            int p0 = Split(panels, groups, g);
                            int col = p0 * nr;
                            int cols = Math.Min(sliceCols, Split(panels, groups, g + 1) * nr) - col;
                            var tile = new GemmTile.Bounds(batchIndex, i0, i1 - i0, sliceStart + col, cols);
                            GemmTile.Compute(kernel, a, b, c, k, tile, new GemmTile.SharedPanels(slice, panels, p0), null, scratch);
                        }
                    });
                }
            }
        }
        finally
        {
            owned?.Dispose();
        }
    }

    /// <summary>How many column groups to cut <paramref name="panels"/> panels into: tiles no wider than the C tile, at
    /// least <see cref="TilesPerThread"/> tiles per thread, and when possible a tile count that divides evenly among the
    /// threads (equal tiles then finish together). Narrower tiles cost more A packing, so no more than needed.</summary>
    private static int GroupCount(int panels, int otherTiles, int threads, GemmKernel kernel)
    {
        int minGroups = CeilDiv(panels, kernel.NWMax / kernel.NR);
        int wanted = Math.Min(panels, Math.Max(minGroups, (int)CeilDiv((long)threads * TilesPerThread, Math.Max(1, otherTiles))));
        for (int g = wanted; g <= Math.Min(panels, 2 * wanted); g++)
        {
            if ((long)otherTiles * g % threads == 0)
            {
                return g;
            }
        }

        return wanted;
    }

    /// <summary>Start of part <paramref name="index"/> when <paramref name="total"/> units split into
    /// <paramref name="parts"/> near-equal parts.</summary>
    private static int Split(int total, int parts, int index) => (int)((long)index * total / parts);

    /// <summary>Widest shared B slice the budget holds at depth K, in whole tiles when possible.</summary>
    private static int SliceWidth(int k, int n, GemmKernel kernel, long budgetFloats)
    {
        long cols = budgetFloats / k;
        cols = cols >= kernel.NWMax ? cols / kernel.NWMax * kernel.NWMax : Math.Max(kernel.NR, cols / kernel.NR * kernel.NR);
        return (int)Math.Min(cols, (long)CeilDiv(n, kernel.NR) * kernel.NR);
    }

    /// <summary>Items per chunk so that a chunk holds at least <see cref="MinParallelWork"/> multiply-adds.</summary>
    private static long MinItems(long workPerItem) => Math.Max(1, MinParallelWork / Math.Max(1, workPerItem));

    private static int CeilDiv(int x, int y) => (x + y - 1) / y;

    private static long CeilDiv(long x, long y) => (x + y - 1) / y;
}
