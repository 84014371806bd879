using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda;

/// <summary>
/// The CUDA backend: tensors in device memory from a caching allocator, kernels launched on one stream of the
/// device's primary context, GEMMs through cuBLASLt. Created with <see cref="Create"/>; CUDA libraries are loaded only
/// then, so a CPU-only process never touches them.
/// </summary>
/// <remarks>One caller at a time: kernels are queued on a single stream, so ops from two threads would interleave.
/// The pipeline and the server drive a backend from one thread at a time.</remarks>
public sealed class CudaBackend : IPooledMemoryBackend, IDisposable
{
    private CudaBackend()
    {
        throw new NotSupportedException("The CUDA runtime is being built (issue 6).");
    }

    /// <summary>Opens GPU <paramref name="deviceIndex"/>: loads the driver, NVRTC and cuBLASLt, retains the primary context.</summary>
    /// <exception cref="CudaUnavailableException">No usable CUDA driver, GPU, NVRTC or cuBLASLt; the message says what is
    /// missing and where it was looked for.</exception>
    public static CudaBackend Create(int deviceIndex = 0) => throw new CudaUnavailableException("The CUDA runtime is being built (issue 6).");

    /// <summary>Facts about the GPU.</summary>
    public CudaDeviceInfo Device => throw new NotSupportedException();

    /// <inheritdoc/>
    public string Name => throw new NotSupportedException();

    /// <inheritdoc/>
    public IKernels Kernels => throw new NotSupportedException();

    /// <inheritdoc/>
    public MemoryStatistics Memory => throw new NotSupportedException();

    /// <inheritdoc/>
    public bool Supports(OpKind op, DType dtype) => throw new NotSupportedException();

    /// <inheritdoc/>
    public Storage Allocate(long byteLength) => throw new NotSupportedException();

    /// <inheritdoc/>
    public void Upload(ReadOnlySpan<byte> source, Storage destination, long byteOffset) => throw new NotSupportedException();

    /// <inheritdoc/>
    public void Download(Storage source, long byteOffset, Span<byte> destination) => throw new NotSupportedException();

    /// <inheritdoc/>
    public void Synchronize() => throw new NotSupportedException();

    /// <inheritdoc/>
    public void ReleaseCachedMemory() => throw new NotSupportedException();

    /// <inheritdoc/>
    public void ResetPeak() => throw new NotSupportedException();

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
