using ZImageSharp.Cuda.Memory;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Tests.Memory;

public sealed class CachingDeviceAllocatorTests
{
    /// <summary>A device with a fixed capacity that hands out increasing fake addresses.</summary>
    private sealed class FakeDevice(long capacity) : IDeviceAllocator
    {
        private readonly Dictionary<ulong, long> _live = [];
        private ulong _next = 0x10000;

        public long Used => _live.Values.Sum();

        public int Frees { get; private set; }

        public bool TryAllocate(long bytes, out ulong pointer)
        {
            pointer = 0;
            if (Used + bytes > capacity)
            {
                return false;
            }

            pointer = _next;
            _next += (ulong)bytes;
            _live[pointer] = bytes;
            return true;
        }

        public void Free(ulong pointer)
        {
            Assert.True(_live.Remove(pointer), "freed a pointer the device never gave out");
            Frees++;
        }

        public (long Free, long Total) MemoryInfo() => (capacity - Used, capacity);
    }

    [Theory]
    [InlineData(0, 512)]
    [InlineData(1, 512)]
    [InlineData(513, 1024)]
    [InlineData(1 << 20, 1 << 20)]
    [InlineData((1 << 20) + 1, 2 << 20)]
    [InlineData(5L << 20, 6L << 20)]
    public void Rounding(long bytes, long expected) => Assert.Equal(expected, CachingDeviceAllocator.RoundUp(bytes));

    [Fact]
    public void FreedBlock_IsReusedForTheSameBucket_AndCountersFollow()
    {
        var device = new FakeDevice(1L << 30);
        using var allocator = new CachingDeviceAllocator(device, "cuda:test");
        (ulong first, long size) = allocator.Allocate(1000);
        allocator.Free(first, size);
        (ulong second, _) = allocator.Allocate(900);

        Assert.Equal(first, second);
        MemoryStatistics stats = allocator.Statistics;
        Assert.Equal(1024, stats.AllocatedBytes);
        Assert.Equal(0, stats.CachedBytes);
        Assert.Equal(1, stats.Hits);
        Assert.Equal(1, stats.Misses);

        (ulong big, long bigSize) = allocator.Allocate(3L << 20);
        Assert.NotEqual(first, big);
        Assert.Equal((4L << 20) + 1024, allocator.Statistics.PeakAllocatedBytes);
        allocator.Free(big, bigSize);
        allocator.ResetPeak();
        Assert.Equal(1024, allocator.Statistics.PeakAllocatedBytes);
        Assert.Equal(4L << 20, allocator.Statistics.CachedBytes);
    }

    [Fact]
    public void OutOfMemory_EmptiesTheCache_RetriesOnce_ThenSucceeds()
    {
        var device = new FakeDevice(8L << 20);
        using var allocator = new CachingDeviceAllocator(device, "cuda:test");
        (ulong a, long aSize) = allocator.Allocate(6L << 20);
        allocator.Free(a, aSize);
        (ulong b, long bSize) = allocator.Allocate(4L << 20);

        Assert.Equal(1, device.Frees);
        Assert.Equal(4L << 20, bSize);
        Assert.Equal(4L << 20, device.Used);
        allocator.Free(b, bSize);
    }

    [Fact]
    public void OutOfMemory_AfterTheRetry_SaysAskedFreeAndTotal()
    {
        var device = new FakeDevice(8L << 20);
        using var allocator = new CachingDeviceAllocator(device, "cuda:0");
        allocator.Allocate(6L << 20);
        var e = Assert.Throws<DeviceOutOfMemoryException>(() => allocator.Allocate(5L << 20));
        Assert.Equal("Out of memory on cuda:0: 5.0 MiB requested, 2.0 MiB free of 8.0 MiB.", e.Message);
        Assert.Equal(5L << 20, e.RequestedBytes);
    }

    [Fact]
    public void ReleaseCached_ReturnsEveryCachedBlockToTheDevice()
    {
        var device = new FakeDevice(1L << 30);
        using var allocator = new CachingDeviceAllocator(device, "cuda:test");
        var blocks = Enumerable.Range(1, 5).Select(i => allocator.Allocate(i * 1000)).ToList();
        foreach ((ulong p, long s) in blocks)
        {
            allocator.Free(p, s);
        }

        allocator.ReleaseCached();
        Assert.Equal(0, device.Used);
        Assert.Equal(0, allocator.Statistics.CachedBytes);
    }
}
