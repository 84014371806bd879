namespace ZImageSharp.Cuda.Memory;

/// <summary>Raw device memory (the driver's <c>cuMemAlloc</c>/<c>cuMemFree</c>), behind an interface so the caching
/// allocator's policy is tested without a GPU.</summary>
internal interface IDeviceAllocator
{
    /// <summary>Allocates <paramref name="bytes"/>; false when the device is out of memory (other failures throw).</summary>
    bool TryAllocate(long bytes, out ulong pointer);

    /// <summary>Frees a block from <see cref="TryAllocate"/>.</summary>
    void Free(ulong pointer);

    /// <summary>Free and total device memory now.</summary>
    (long Free, long Total) MemoryInfo();
}
