namespace ZImageSharp.Cpu;

/// <summary>
/// The caching allocator behind CPU tensors. Large blocks (≥ <see cref="MinPooledBytes"/>) are rounded up to a
/// granule and, when freed, kept for the next request of the same rounded size instead of going back to the system:
/// a fresh block costs a page fault per 4 KiB page on first touch (a 65 MB DiT activation paid ~25 ms of faults per
/// op, five times the op itself), a reused one costs nothing. Blocks of 8 MiB and more are 2 MiB aligned and asked to
/// be backed by transparent huge pages, which cuts faults and TLB misses 512-fold even on the first pass.
/// </summary>
/// <remarks>
/// The cache holds at most <see cref="CacheLimitBytes"/>; beyond it the blocks returned longest ago are freed. When
/// the system refuses an allocation the cache is emptied and the allocation retried once. Small blocks go straight to
/// the C heap, which reuses them well. Thread-safe: tensors are freed on whichever thread drops the last view.
/// </remarks>
internal sealed class HostMemoryPool
{
    /// <summary>Blocks below this are not pooled.</summary>
    public const long MinPooledBytes = 1L << 20;

    /// <summary>Size of a transparent huge page on x86-64 and the rounding of blocks from <see cref="HugeBlockBytes"/> up.</summary>
    public const long HugePageBytes = 2L << 20;

    /// <summary>Blocks of this size and more are rounded to <see cref="HugePageBytes"/> (≤ 25% rounding waste).</summary>
    public const long HugeBlockBytes = 8L << 20;

    /// <summary>Rounding of pooled blocks below <see cref="HugeBlockBytes"/> (≤ 25% waste).</summary>
    public const long SmallGranuleBytes = 256L << 10;

    /// <summary>Alignment of every block: a cache line and an AVX-512 vector.</summary>
    public const long Alignment = 64;

    private readonly IHostAllocator _system;
    private readonly object _lock = new();

    // Cached blocks in the order they were returned: reuse takes the newest match (warm in cache), eviction the oldest.
    private readonly List<Block> _cached = [];
    private long _cachedBytes;
    private long _allocatedBytes;
    private long _peakAllocatedBytes;
    private long _hits;
    private long _misses;

    /// <summary>Creates a pool over <paramref name="system"/> that caches at most <paramref name="cacheLimitBytes"/>.</summary>
    public HostMemoryPool(IHostAllocator system, long cacheLimitBytes)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentOutOfRangeException.ThrowIfNegative(cacheLimitBytes);
        _system = system;
        CacheLimitBytes = cacheLimitBytes;
    }

    /// <summary>The process-wide pool (every CPU backend allocates host memory, so they share it).</summary>
    public static HostMemoryPool Shared { get; } = new(NativeHostAllocator.Instance, DefaultCacheLimit());

    /// <summary>The most bytes the cache keeps.</summary>
    public long CacheLimitBytes { get; }

    /// <summary>The counters now.</summary>
    public Tensors.MemoryStatistics Statistics
    {
        get
        {
            lock (_lock)
            {
                return new(_allocatedBytes, _peakAllocatedBytes, _cachedBytes, _hits, _misses);
            }
        }
    }

    /// <summary>The capacity a request of <paramref name="bytes"/> gets (what <see cref="Rent"/> reserves).</summary>
    public static long Capacity(long bytes)
    {
        long n = Math.Max(bytes, 1);
        if (n < MinPooledBytes)
        {
            return n;
        }

        long granule = n >= HugeBlockBytes ? HugePageBytes : SmallGranuleBytes;
        return checked((n + granule - 1) / granule * granule);
    }

    /// <summary>A block of at least <paramref name="bytes"/> (contents undefined); give it back with <see cref="Return"/>
    /// and the <paramref name="capacity"/> it came with.</summary>
    /// <exception cref="Tensors.DeviceOutOfMemoryException">When the system refuses even after the cache was emptied.</exception>
    public nint Rent(long bytes, out long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        capacity = Capacity(bytes);
        if (capacity >= MinPooledBytes && TryTakeCached(capacity, out nint cached))
        {
            return cached;
        }

        nint block = AllocateFromSystem(capacity);
        lock (_lock)
        {
            _misses++;
            Count(capacity);
        }

        return block;
    }

    /// <summary>Takes back a block from <see cref="Rent"/>: cached when pooled and the cache has room, else freed.</summary>
    public void Return(nint block, long capacity)
    {
        if (block == 0)
        {
            return;
        }

        List<Block>? evicted = null;
        bool keep = capacity >= MinPooledBytes && capacity <= CacheLimitBytes;
        lock (_lock)
        {
            _allocatedBytes -= capacity;
            if (keep)
            {
                _cached.Add(new Block(block, capacity));
                _cachedBytes += capacity;
                while (_cachedBytes > CacheLimitBytes)
                {
                    Block oldest = _cached[0];
                    _cached.RemoveAt(0);
                    _cachedBytes -= oldest.Capacity;
                    (evicted ??= []).Add(oldest);
                }
            }
        }

        if (!keep)
        {
            _system.Free(block, capacity);
        }

        // System frees happen outside the lock: munmap of a large block is not free.
        foreach (Block b in evicted ?? [])
        {
            _system.Free(b.Address, b.Capacity);
        }
    }

    /// <summary>Frees every cached block.</summary>
    public void ReleaseCached()
    {
        Block[] blocks;
        lock (_lock)
        {
            blocks = [.. _cached];
            _cached.Clear();
            _cachedBytes = 0;
        }

        foreach (Block b in blocks)
        {
            _system.Free(b.Address, b.Capacity);
        }
    }

    /// <summary>Restarts the peak at the bytes allocated now.</summary>
    public void ResetPeak()
    {
        lock (_lock)
        {
            _peakAllocatedBytes = _allocatedBytes;
        }
    }

    private bool TryTakeCached(long capacity, out nint block)
    {
        lock (_lock)
        {
            for (int i = _cached.Count - 1; i >= 0; i--)
            {
                if (_cached[i].Capacity == capacity)
                {
                    block = _cached[i].Address;
                    _cached.RemoveAt(i);
                    _cachedBytes -= capacity;
                    _hits++;
                    Count(capacity);
                    return true;
                }
            }
        }

        block = 0;
        return false;
    }

    private nint AllocateFromSystem(long capacity)
    {
        long alignment = capacity >= HugeBlockBytes ? HugePageBytes : Alignment;
        nint block = _system.Allocate(capacity, alignment);
        if (block == 0 && Statistics.CachedBytes > 0)
        {
            ReleaseCached();
            block = _system.Allocate(capacity, alignment);
        }

        if (block == 0)
        {
            throw new Tensors.DeviceOutOfMemoryException("cpu", capacity, null, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, null);
        }

        if (alignment == HugePageBytes)
        {
            _system.AdviseHugePages(block, capacity);
        }

        return block;
    }

    // Caller holds the lock.
    private void Count(long capacity)
    {
        _allocatedBytes += capacity;
        _peakAllocatedBytes = Math.Max(_peakAllocatedBytes, _allocatedBytes);
    }

    /// <summary>Default cache limit: ZIMAGE_CPU_CACHE_MB when set (0 disables caching), else an eighth of the memory
    /// available to the process, at most 4 GiB.</summary>
    private static long DefaultCacheLimit()
    {
        string? setting = Environment.GetEnvironmentVariable("ZIMAGE_CPU_CACHE_MB");
        if (long.TryParse(setting, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long mb))
        {
            return mb << 20;
        }

        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return Math.Clamp(available / 8, 0, 4L << 30);
    }

    private readonly record struct Block(nint Address, long Capacity);
}
