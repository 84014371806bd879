namespace ZImageSharp.Tensors;

/// <summary>
/// A backend that keeps freed memory for reuse (a caching allocator). Reuse avoids the page faults (host) or the
/// synchronising frees (device) of a fresh allocation per op; the cost is memory held after tensors die, which
/// <see cref="ReleaseCachedMemory"/> gives back, e.g. between pipeline stages whose tensor sizes differ.
/// </summary>
public interface IPooledMemoryBackend : IBackend
{
    /// <summary>The pool's counters now.</summary>
    MemoryStatistics Memory { get; }

    /// <summary>Returns every cached (unused) block to the system; live tensors are untouched.</summary>
    void ReleaseCachedMemory();

    /// <summary>Starts a new peak measurement at the bytes allocated now.</summary>
    void ResetPeak();
}
