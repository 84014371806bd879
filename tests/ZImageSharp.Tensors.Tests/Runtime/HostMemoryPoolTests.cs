using ZImageSharp.Cpu;
using ZImageSharp.Tensors;

namespace ZImageSharp.Tensors.Tests.Runtime;

public sealed class HostMemoryPoolTests
{
    private const long MiB = 1L << 20;

    [Theory]
    [InlineData(0, 1)]
    [InlineData(100, 100)]
    [InlineData(MiB - 1, MiB - 1)]
    [InlineData(MiB, MiB)]
    [InlineData(MiB + 1, MiB + (256 << 10))]
    [InlineData((8 * MiB) - 1, 8 * MiB)]
    [InlineData((8 * MiB) + 1, 10 * MiB)]
    [InlineData(64_880_640, 62 * MiB)] // a [4224, 3840] f32 activation: 61.9 MiB → 31 huge pages
    public void Capacity_RoundsPooledSizesToTheirGranule(long bytes, long expected) =>
        Assert.Equal(expected, HostMemoryPool.Capacity(bytes));

    [Fact]
    public void ReturnedBlock_IsReusedForTheSameRoundedSize_WithoutTheSystem()
    {
        var system = new FakeAllocator();
        var pool = new HostMemoryPool(system, cacheLimitBytes: 100 * MiB);
        nint a = pool.Rent(10 * MiB, out long capacity);
        pool.Return(a, capacity);
        nint b = pool.Rent((10 * MiB) - 5, out long again);

        Assert.Equal(a, b);
        Assert.Equal(capacity, again);
        Assert.Equal(1, system.Allocations);
        Assert.Equal(0, system.Frees);
        Assert.Equal(new MemoryStatistics(10 * MiB, 10 * MiB, 0, Hits: 1, Misses: 1), pool.Statistics);
    }

    [Fact]
    public void DifferentRoundedSize_GoesToTheSystem()
    {
        var system = new FakeAllocator();
        var pool = new HostMemoryPool(system, 100 * MiB);
        nint a = pool.Rent(10 * MiB, out long ca);
        pool.Return(a, ca);
        nint b = pool.Rent(12 * MiB, out _);

        Assert.NotEqual(a, b);
        Assert.Equal(2, system.Allocations);
        Assert.Equal(new MemoryStatistics(12 * MiB, 12 * MiB, 10 * MiB, 0, 2), pool.Statistics);
    }

    [Fact]
    public void CacheOverItsLimit_FreesTheOldestBlocks()
    {
        var system = new FakeAllocator();
        var pool = new HostMemoryPool(system, cacheLimitBytes: 25 * MiB);
        nint first = pool.Rent(10 * MiB, out long c1);
        nint second = pool.Rent(10 * MiB, out long c2);
        nint third = pool.Rent(10 * MiB, out long c3);
        pool.Return(first, c1);
        pool.Return(second, c2);
        pool.Return(third, c3);

        Assert.Equal([first], system.Freed);
        Assert.Equal(20 * MiB, pool.Statistics.CachedBytes);
        Assert.Equal(0, pool.Statistics.AllocatedBytes);
        Assert.Equal(30 * MiB, pool.Statistics.PeakAllocatedBytes);

        // The newest match is reused first.
        Assert.Equal(third, pool.Rent(10 * MiB, out _));
    }

    [Fact]
    public void SmallBlocks_AndBlocksLargerThanTheCache_AreNotKept()
    {
        var system = new FakeAllocator();
        var pool = new HostMemoryPool(system, cacheLimitBytes: 16 * MiB);
        nint small = pool.Rent(4096, out long cs);
        nint huge = pool.Rent(32 * MiB, out long ch);
        pool.Return(small, cs);
        pool.Return(huge, ch);

        Assert.Equal([small, huge], system.Freed);
        Assert.Equal(0, pool.Statistics.CachedBytes);
    }

    [Fact]
    public void ZeroLimit_DisablesCaching()
    {
        var system = new FakeAllocator();
        var pool = new HostMemoryPool(system, cacheLimitBytes: 0);
        nint a = pool.Rent(10 * MiB, out long c);
        pool.Return(a, c);
        Assert.Equal([a], system.Freed);
    }

    [Fact]
    public void SystemRefusal_EmptiesTheCacheAndRetriesOnce()
    {
        var system = new FakeAllocator { LimitBytes = 30 * MiB };
        var pool = new HostMemoryPool(system, cacheLimitBytes: 100 * MiB);
        nint a = pool.Rent(20 * MiB, out long c);
        pool.Return(a, c);

        // 20 MiB cached + 16 MiB new would exceed the system's 30: the cache is given back, then the retry succeeds.
        nint b = pool.Rent(16 * MiB, out _);
        Assert.NotEqual(0, b);
        Assert.Equal([a], system.Freed);
        Assert.Equal(0, pool.Statistics.CachedBytes);
    }

    [Fact]
    public void SystemRefusal_WithNothingCached_ThrowsWithTheSize()
    {
        var pool = new HostMemoryPool(new FakeAllocator { LimitBytes = 8 * MiB }, 100 * MiB);
        DeviceOutOfMemoryException e = Assert.Throws<DeviceOutOfMemoryException>(() => pool.Rent(16 * MiB, out _));
        Assert.Equal(16 * MiB, e.RequestedBytes);
        Assert.Contains("16.0 MiB requested", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HugeBlocks_AreHugePageAlignedAndAdvised()
    {
        var system = new FakeAllocator();
        var pool = new HostMemoryPool(system, 100 * MiB);
        pool.Rent(9 * MiB, out _);
        pool.Rent(2 * MiB, out _);
        Assert.Equal([HostMemoryPool.HugePageBytes, HostMemoryPool.Alignment], system.Alignments);
        Assert.Equal(1, system.Advised);
    }

    [Fact]
    public void ResetPeak_StartsFromTheLiveBytes()
    {
        var pool = new HostMemoryPool(new FakeAllocator(), 100 * MiB);
        nint a = pool.Rent(10 * MiB, out long c);
        pool.Rent(4 * MiB, out _);
        pool.Return(a, c);
        pool.ResetPeak();
        Assert.Equal(4 * MiB, pool.Statistics.PeakAllocatedBytes);
    }

    [Fact]
    public void CpuTensors_ReuseThePooledMemory()
    {
        // Through the real backend: a freed large tensor's block serves the next one of the same size.
        var cpu = CpuBackend.Default;
        var shape = new Shape(1024, 1024); // 4 MiB of f32
        nint first;
        using (Tensor a = Tensor.Zeros(cpu, shape, DType.F32))
        {
            first = Address(a);
        }

        long hits = cpu.Memory.Hits;
        using Tensor b = Tensor.Zeros(cpu, shape, DType.F32);
        Assert.True(cpu.Memory.Hits > hits);
        Assert.Equal(0f, b.ToArray<float>().Max());
        Assert.NotEqual(0, first);
    }

    private static unsafe nint Address(Tensor t) => (nint)((CpuStorage)t.Storage).Pointer;

    /// <summary>Hands out fake addresses and records every call; optionally refuses beyond a total.</summary>
    private sealed class FakeAllocator : IHostAllocator
    {
        private readonly Dictionary<nint, long> _live = [];
        private nint _next = 1 << 30;

        public long LimitBytes { get; init; } = long.MaxValue;

        public int Allocations { get; private set; }

        public int Frees => Freed.Count;

        public List<nint> Freed { get; } = [];

        public List<long> Alignments { get; } = [];

        public int Advised { get; private set; }

        public nint Allocate(long bytes, long alignment)
        {
            if (_live.Values.Sum() + bytes > LimitBytes)
            {
                return 0;
            }

            Allocations++;
            Alignments.Add(alignment);
            nint block = _next;
            _next += (nint)(bytes + (4 * MiB));
            _live[block] = bytes;
            return block;
        }

        public void Free(nint block, long bytes)
        {
            Assert.Equal(_live[block], bytes);
            _live.Remove(block);
            Freed.Add(block);
        }

        public void AdviseHugePages(nint block, long bytes) => Advised++;
    }
}
