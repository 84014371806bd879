namespace ZImageSharp.Tensors;

/// <summary>A snapshot of a backend's memory pool.</summary>
/// <param name="AllocatedBytes">Bytes held by live tensors and scratch now.</param>
/// <param name="PeakAllocatedBytes">The most <paramref name="AllocatedBytes"/> has been since the pool started (or the peak was reset).</param>
/// <param name="CachedBytes">Bytes freed by tensors but kept for reuse (not returned to the system).</param>
/// <param name="Hits">Allocations served from the cache.</param>
/// <param name="Misses">Allocations that went to the system.</param>
public readonly record struct MemoryStatistics(long AllocatedBytes, long PeakAllocatedBytes, long CachedBytes, long Hits, long Misses);
