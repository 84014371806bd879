using System.Globalization;
using ZImageSharp.Server.Metrics;
using ZImageSharp.Server.Tests.Support;
using ZImageSharp.Tensors;

namespace ZImageSharp.Server.Tests.Metrics;

/// <summary>
/// <c>GET /metrics</c>: a well-formed Prometheus exposition with the job counters, per-stage histograms, process memory
/// and the CPU backend's pool statistics; the GPU gauge only for a GPU device; the images/s window; the format's rules.
/// </summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task AfterOneJob_TheExpositionCountsIt_AndShowsProcessAndPoolMemory()
    {
        await using TestServer server = await TestServer.StartAsync();
        string id = await server.SubmitAsync(new { prompt = "metrics", width = 32, height = 32, steps = 2, count = 2 });
        Assert.Equal("completed", (await server.FinishedAsync(id)).GetProperty("status").GetString());

        using HttpResponseMessage response = await server.Http.GetAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Dictionary<string, double> samples = Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(1, samples["zimage_ready"]);
        Assert.Equal(1, samples["zimage_jobs_submitted_total"]);
        Assert.Equal(1, samples["zimage_jobs_completed_total"]);
        Assert.Equal(2, samples["zimage_images_generated_total"]);
        Assert.Equal(1, samples["zimage_batches_total"]);
        Assert.Equal(0, samples["zimage_jobs_running"]);
        Assert.Equal(0, samples["zimage_queue_depth"]);
        Assert.Equal(TestServer.Fast.MaxQueue, samples["zimage_queue_capacity"]);
        Assert.Equal(2 / ServerMetrics.RateWindow.TotalSeconds, samples["zimage_images_per_second"]);
        foreach (string stage in new[] { "encoding_prompt", "preparing_latents", "denoising", "decoding" })
        {
            Assert.Equal(1, samples[$"zimage_stage_duration_seconds_count{{stage=\"{stage}\"}}"]);
            Assert.Equal(1, samples[$"zimage_stage_duration_seconds_bucket{{stage=\"{stage}\",le=\"+Inf\"}}"]);
        }

        Assert.True(samples["process_resident_memory_bytes"] > 0);
        Assert.True(samples["process_peak_resident_memory_bytes"] >= samples["process_resident_memory_bytes"]);
        Assert.True(samples["process_managed_heap_bytes"] > 0);

        // The demo model ran on the CPU pool: it allocated (misses at least once) and has a peak; no GPU gauge on a CPU.
        Assert.True(samples["zimage_pool_misses_total{device=\"cpu\"}"] > 0);
        Assert.True(samples["zimage_pool_peak_allocated_bytes{device=\"cpu\"}"] > 0);
        Assert.True(samples.ContainsKey("zimage_pool_cached_bytes{device=\"cpu\"}"));
        Assert.DoesNotContain(samples.Keys, k => k.StartsWith("zimage_device_memory_bytes", StringComparison.Ordinal));
    }

    [Fact]
    public void OnAGpu_ThePoolIsDeviceMemory_HeldIsLivePlusCached()
    {
        var metrics = new ServerMetrics(new ManualClock());
        var pool = new MemoryStatistics(AllocatedBytes: 3_000, PeakAllocatedBytes: 9_000, CachedBytes: 500, Hits: 7, Misses: 2);
        Dictionary<string, double> samples = Parse(metrics.Write(0, 16, ready: false, 0, 0, "cuda:0", pool));
        Assert.Equal(3_500, samples["zimage_device_memory_bytes{device=\"cuda:0\"}"]);
        Assert.Equal((3_000, 9_000, 500, 7, 2), (
            samples["zimage_pool_allocated_bytes{device=\"cuda:0\"}"],
            samples["zimage_pool_peak_allocated_bytes{device=\"cuda:0\"}"],
            samples["zimage_pool_cached_bytes{device=\"cuda:0\"}"],
            samples["zimage_pool_hits_total{device=\"cuda:0\"}"],
            samples["zimage_pool_misses_total{device=\"cuda:0\"}"]));
        Assert.Equal(0, samples["zimage_ready"]);

        // Before the model is loaded there is no pool to read: no pool samples at all.
        Assert.DoesNotContain(Parse(metrics.Write(0, 16, false, 0, 0, "cuda:0", null)).Keys, k => k.Contains("pool", StringComparison.Ordinal));
    }

    [Fact]
    public void ImagesPerSecond_CountsTheLastMinuteOnly()
    {
        var clock = new ManualClock();
        var metrics = new ServerMetrics(clock);
        metrics.JobCompleted(images: 3, TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromSeconds(30));
        metrics.JobCompleted(images: 3, TimeSpan.FromSeconds(1));
        Assert.Equal(6 / 60.0, metrics.ImagesPerSecond());
        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(3 / 60.0, metrics.ImagesPerSecond());
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, metrics.ImagesPerSecond());
    }

    [Fact]
    public void Writer_HistogramsAreCumulative_LabelsEscaped_HelpAndTypeOncePerFamily()
    {
        var histogram = new Histogram([1, 2]);
        histogram.Observe(0.5);
        histogram.Observe(1.5);
        histogram.Observe(9);
        string text = new PrometheusWriter()
            .Histogram("h_seconds", "A histogram.", histogram, ("k", "a\"b\\c\nd"))
            .Gauge("g", "First.", 1, ("x", "1"))
            .Gauge("g", "First.", double.PositiveInfinity, ("x", "2"))
            .ToString();
        Assert.Equal(
            """
            # HELP h_seconds A histogram.
            # TYPE h_seconds histogram
            h_seconds_bucket{k="a\"b\\c\nd",le="1"} 1
            h_seconds_bucket{k="a\"b\\c\nd",le="2"} 2
            h_seconds_bucket{k="a\"b\\c\nd",le="+Inf"} 3
            h_seconds_sum{k="a\"b\\c\nd"} 11
            h_seconds_count{k="a\"b\\c\nd"} 3
            # HELP g First.
            # TYPE g gauge
            g{x="1"} 1
            g{x="2"} +Inf

            """.ReplaceLineEndings("\n"),
            text);
        Assert.Throws<ArgumentException>(() => new PrometheusWriter().Gauge("1bad", "x", 0));
    }

    /// <summary>Sample lines as "name{labels}" → value; checks that each family was declared (HELP and TYPE) before its samples.</summary>
    private static Dictionary<string, double> Parse(string exposition)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in exposition.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                Assert.True(declared.Add(line.Split(' ')[2]), $"declared twice: {line}");
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            int space = line.LastIndexOf(' ');
            string key = line[..space];
            string name = key.Split('{')[0];
            Assert.Contains(declared, family => name == family || name.StartsWith(family + "_", StringComparison.Ordinal));
            string value = line[(space + 1)..];
            samples.Add(key, value == "+Inf" ? double.PositiveInfinity : double.Parse(value, CultureInfo.InvariantCulture));
        }

        return samples;
    }
}
