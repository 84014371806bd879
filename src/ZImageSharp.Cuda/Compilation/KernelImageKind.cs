namespace ZImageSharp.Cuda.Compilation;

/// <summary>What NVRTC produces for a module.</summary>
internal enum KernelImageKind
{
    /// <summary>PTX text: portable, JIT-compiled by the driver at load (also what the ABI tests parse).</summary>
    Ptx,

    /// <summary>A cubin for exactly one architecture (<c>sm_XY</c>): no JIT at load. Needs NVRTC ≥ 11.1.</summary>
    Cubin,
}
