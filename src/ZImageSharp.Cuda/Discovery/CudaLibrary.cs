namespace ZImageSharp.Cuda.Discovery;

/// <summary>The native CUDA libraries the backend uses.</summary>
internal enum CudaLibrary
{
    /// <summary>The driver API, <c>libcuda.so.1</c> (installed with the NVIDIA driver, not the toolkit).</summary>
    Driver,

    /// <summary>The runtime compiler, <c>libnvrtc.so.*</c>.</summary>
    Nvrtc,

    /// <summary>The GEMM library, <c>libcublasLt.so.*</c>.</summary>
    CublasLt,
}
