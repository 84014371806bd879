using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ZImageSharp.Cpu;

/// <summary>
/// One register-tiled micro-kernel and the cache blocking tuned for it. The micro-kernel computes a full MR×NR f32
/// tile: C[r, c] (+)= Σ_{k &lt; kc} a[k·lda + r] · b[k·ldb + c]. Packed panels use lda = MR and ldb = NR; attention
/// passes other strides to read its score tile and value rows in place.
/// </summary>
/// <remarks>
/// Pointer contract of <see cref="Run"/> (the kernels are unsafe and never check): a addresses kc steps of MR floats
/// lda apart, b addresses kc steps of NR floats ldb apart, c addresses MR rows of NR floats ldc apart; with
/// accumulate = false the tile is overwritten, otherwise added to. Edges are the callers' business: they pad panels
/// with zeros and compute into padded scratch tiles, so every call is a full tile.
/// </remarks>
internal sealed unsafe class GemmKernel
{
    private GemmKernel(string name, int mr, int nr, delegate*<int, float*, nint, float*, nint, float*, nint, bool, void> run)
    {
        Name = name;
        MR = mr;
        NR = nr;
        Run = run;

        // KC: a B micro-panel (KC×NR, 32 KiB on AVX-512) stays in L1 while A streams past it; MC: the A block
        // (MC×KC, 192 KiB) and the C tile (MC×NWMax, 400 KiB) stay in L2. Wider tiles amortise packing A further but
        // measured slower (the C tile crowds L2).
        KC = 256;
        MC = mr * Math.Max(1, 192 / mr);
        NWMax = nr * Math.Max(1, 512 / nr);
    }

    /// <summary>The fastest kernel this CPU (and the DOTNET_Enable* switches) allows.</summary>
    public static GemmKernel Best { get; } = Select();

    /// <summary>Every kernel that runs on this CPU, fastest first (tests run each of them).</summary>
    public static IReadOnlyList<GemmKernel> Supported { get; } = AllSupported();

    /// <summary>Name for diagnostics and benchmarks.</summary>
    public string Name { get; }

    /// <summary>Rows of a micro-tile.</summary>
    public int MR { get; }

    /// <summary>Columns of a micro-tile.</summary>
    public int NR { get; }

    /// <summary>Depth of a K block.</summary>
    public int KC { get; }

    /// <summary>Rows of an M block (a multiple of <see cref="MR"/>).</summary>
    public int MC { get; }

    /// <summary>Maximum columns of one work tile (a multiple of <see cref="NR"/>).</summary>
    public int NWMax { get; }

    /// <summary>The micro-kernel: (kc, a, lda, b, ldb, c, ldc, accumulate).</summary>
    public delegate*<int, float*, nint, float*, nint, float*, nint, bool, void> Run { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({MR}×{NR})";

    private static bool Has512 => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    private static bool Has256 => Fma.IsSupported && Vector256.IsHardwareAccelerated;

    private static GemmKernel Avx512() => new("avx512", GemmMicroKernel512.MR, GemmMicroKernel512.NR, &GemmMicroKernel512.Run);

    private static GemmKernel Avx2() => new("avx2-fma", GemmMicroKernel256.MR, GemmMicroKernel256.NR, &GemmMicroKernel256.Run);

    private static GemmKernel Portable() => new($"vector{Vector<float>.Count * 32}", GemmMicroKernelPortable.MR, GemmMicroKernelPortable.NR, &GemmMicroKernelPortable.Run);

    private static GemmKernel Select() => Has512 ? Avx512() : Has256 ? Avx2() : Portable();

    private static GemmKernel[] AllSupported()
    {
        var list = new List<GemmKernel>(3);
        if (Has512)
        {
            list.Add(Avx512());
        }

        if (Has256)
        {
            list.Add(Avx2());
        }

        list.Add(Portable());
        return [.. list];
    }
}
