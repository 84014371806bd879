using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Memory;

/// <summary>Device memory of a <see cref="CudaBackend"/> tensor: a block of the caching allocator.</summary>
/// <remarks>Invariant: <see cref="Pointer"/> addresses <see cref="Capacity"/> ≥ <see cref="Storage.ByteLength"/> device
/// bytes until <see cref="ReleaseCore"/> returns the block to the allocator.</remarks>
internal sealed class CudaStorage : Storage
{
    private readonly CachingDeviceAllocator _allocator;

    /// <summary>Wraps an allocated block.</summary>
    public CudaStorage(CudaBackend backend, CachingDeviceAllocator allocator, ulong pointer, long byteLength, long capacity)
        : base(backend, byteLength, isReadOnly: false)
    {
        _allocator = allocator;
        Pointer = pointer;
        Capacity = capacity;
    }

    /// <summary>The block's device address.</summary>
    public ulong Pointer { get; }

    /// <summary>The block's size (the request rounded up to its bucket).</summary>
    public long Capacity { get; }

    /// <inheritdoc/>
    protected override void ReleaseCore() => _allocator.Free(Pointer, Capacity);
}
