using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Memory;

/// <summary>
/// Keeps freed device blocks for reuse by size bucket, as PyTorch's caching allocator does: a fresh <c>cuMemAlloc</c>
/// and <c>cuMemFree</c> per tensor would synchronise the device, while a denoising step allocates the same sizes
/// every time. Requests round up to 512 B below 1 MiB and to 2 MiB above, so near-equal sizes share a bucket.
/// </summary>
/// <remarks>Reuse is safe without events because every kernel runs on the backend's one stream: work queued after a
/// reuse runs after the work that used the block before. On out-of-memory the cache is returned to the driver and the
/// request retried once; a second failure throws <see cref="DeviceOutOfMemoryException"/> with the request, free and
/// total memory. Thread-safe.</remarks>
internal sealed class CachingDeviceAllocator : IDisposable
{
    private const long SmallLimit = 1L << 20;
    private const long SmallGranule = 512;
    private const long LargeGranule = 2L << 20;

    private readonly IDeviceAllocator _device;
    private readonly string _backendName;
    private readonly Lock _gate = new();
    private readonly Dictionary<long, Stack<ulong>> _free = [];
    private long _allocated;
    private long _peak;
    private long _cached;
    private long _hits;
    private long _misses;

    /// <summary>Creates the allocator over <paramref name="device"/>; <paramref name="backendName"/> is for messages.</summary>
    public CachingDeviceAllocator(IDeviceAllocator device, string backendName)
    {
        _device = device;
        _backendName = backendName;
    }

    /// <summary>The counters now.</summary>
    public MemoryStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return new MemoryStatistics(_allocated, _peak, _cached, _hits, _misses);
            }
        }
    }

    /// <summary>The size a request is served with.</summary>
    public static long RoundUp(long bytes)
    {
        long granule = bytes <= SmallLimit ? SmallGranule : LargeGranule;
        return Math.Max(granule, (bytes + granule - 1) / granule * granule);
    }

    /// <summary>A block of at least <paramref name="bytes"/>; returns its pointer and the size it was served with.</summary>
    /// <exception cref="DeviceOutOfMemoryException">When the device cannot provide it even after emptying the cache.</exception>
    public (ulong Pointer, long Size) Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        long size = RoundUp(bytes);
        lock (_gate)
        {
            if (_free.TryGetValue(size, out Stack<ulong>? bucket) && bucket.TryPop(out ulong reused))
            {
                _cached -= size;
                _hits++;
                return (Track(reused, size), size);
            }

            _misses++;
            if (_device.TryAllocate(size, out ulong pointer))
            {
                return (Track(pointer, size), size);
            }

            ReleaseCachedLocked();
            if (_device.TryAllocate(size, out pointer))
            {
                return (Track(pointer, size), size);
            }

            (long free, long total) = _device.MemoryInfo();
            throw new DeviceOutOfMemoryException(_backendName, bytes, free, total, null);
        }
    }

    /// <summary>Returns a block to the cache.</summary>
    public void Free(ulong pointer, long size)
    {
        lock (_gate)
        {
            _allocated -= size;
            if (!_free.TryGetValue(size, out Stack<ulong>? bucket))
            {
                bucket = new Stack<ulong>();
                _free[size] = bucket;
            }

            bucket.Push(pointer);
            _cached += size;
        }
    }

    /// <summary>Gives every cached block back to the driver.</summary>
    public void ReleaseCached()
    {
        lock (_gate)
        {
            ReleaseCachedLocked();
        }
    }

    /// <summary>Starts a new peak at the current allocation.</summary>
    public void ResetPeak()
    {
        lock (_gate)
        {
            _peak = _allocated;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => ReleaseCached();

    private ulong Track(ulong pointer, long size)
    {
        _allocated += size;
        _peak = Math.Max(_peak, _allocated);
        return pointer;
    }

    private void ReleaseCachedLocked()
    {
        foreach (Stack<ulong> bucket in _free.Values)
        {
            while (bucket.TryPop(out ulong pointer))
            {
                _device.Free(pointer);
            }
        }

        _free.Clear();
        _cached = 0;
    }
}
