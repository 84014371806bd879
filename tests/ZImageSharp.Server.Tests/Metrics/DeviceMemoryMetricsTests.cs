using System.Globalization;
using ZImageSharp.Server.Metrics;
using ZImageSharp.Server.Tests.Support;
using ZImageSharp.Tensors;

namespace ZImageSharp.Server.Tests.Metrics;

/// <summary>
/// The backend pool's samples for a GPU device (the CPU case is scraped from a running server in the API tests): the
/// pool's statistics labelled by device, and the device memory gauge as live plus cached bytes.
/// </summary>
public sealed class DeviceMemoryMetricsTests
{
    [Fact]
    public void OnAGpu_ThePoolIsDeviceMemory_HeldIsLivePlusCached()
    {
        var metrics = new ServerMetrics(new ManualClock());
        var pool = new MemoryStatistics(AllocatedBytes: 3_000, PeakAllocatedBytes: 9_000, CachedBytes: 500, Hits: 7, Misses: 2);
        Dictionary<string, string> samples = Samples(metrics.Write(0, 16, ready: false, 0, 0, "cuda:0", pool));
        Assert.Equal("3500", samples["zimage_device_memory_bytes{device=\"cuda:0\"}"]);
        Assert.Equal(
            ("3000", "9000", "500", "7", "2"),
            (samples["zimage_pool_allocated_bytes{device=\"cuda:0\"}"], samples["zimage_pool_peak_allocated_bytes{device=\"cuda:0\"}"],
                samples["zimage_pool_cached_bytes{device=\"cuda:0\"}"], samples["zimage_pool_hits_total{device=\"cuda:0\"}"],
                samples["zimage_pool_misses_total{device=\"cuda:0\"}"]));
    }

    [Fact]
    public void BeforeTheModelLoads_ThereIsNoPoolToRead_AndNoPoolSamples()
    {
        var metrics = new ServerMetrics(new ManualClock());
        Dictionary<string, string> samples = Samples(metrics.Write(0, 16, ready: false, 0, 0, "cuda:0", pool: null));
        Assert.Equal("0", samples["zimage_ready"]);
        Assert.DoesNotContain(samples.Keys, k => k.StartsWith("zimage_pool_", StringComparison.Ordinal) || k.StartsWith("zimage_device_memory", StringComparison.Ordinal));
        Assert.True(double.Parse(samples["process_resident_memory_bytes"], CultureInfo.InvariantCulture) > 0);
    }

    private static Dictionary<string, string> Samples(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith('#'))
            .ToDictionary(line => line[..line.LastIndexOf(' ')], line => line[(line.LastIndexOf(' ') + 1)..], StringComparer.Ordinal);
}
