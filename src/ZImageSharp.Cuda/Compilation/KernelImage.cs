namespace ZImageSharp.Cuda.Compilation;

/// <summary>A compiled module: the bytes the driver loads (<c>cuModuleLoadData</c>) and NVRTC's log.</summary>
/// <param name="Module">The source file name (e.g. <c>rows.cu</c>).</param>
/// <param name="ComputeCapability">The architecture compiled for (major·10 + minor).</param>
/// <param name="Kind">PTX or cubin.</param>
/// <param name="Image">The image; PTX is NUL-terminated text, as the driver wants it.</param>
/// <param name="Log">NVRTC's warnings (empty when clean).</param>
internal sealed record KernelImage(string Module, int ComputeCapability, KernelImageKind Kind, byte[] Image, string Log)
{
    /// <summary>The PTX as text (without the terminating NUL); only for <see cref="KernelImageKind.Ptx"/>.</summary>
    public string PtxText => Kind == KernelImageKind.Ptx
        ? System.Text.Encoding.UTF8.GetString(Image.AsSpan(0, Image.Length > 0 && Image[^1] == 0 ? Image.Length - 1 : Image.Length))
        : throw new InvalidOperationException($"{Module} was compiled to a cubin, not PTX.");
}
