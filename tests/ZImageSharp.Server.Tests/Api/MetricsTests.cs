using System.Globalization;
using System.Net;
using ZImageSharp.Server.Tests.Support;

namespace ZImageSharp.Server.Tests.Api;

/// <summary><c>GET /metrics</c> on a running server: the Prometheus text format with the values the jobs produced.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_CountWhatHappened_InThePrometheusTextFormat()
    {
        await using TestServer server = await TestServer.StartAsync();
        server.Generator.Hold();
        string first = await server.SubmitAsync(new { prompt = "a", width = 32, height = 32, steps = 2, count = 2 });
        await server.Generator.BatchArrivedAsync();
        string second = await server.SubmitAsync(new { prompt = "b", width = 48, height = 32, steps = 1 });

        Dictionary<string, double> busy = Samples(await ScrapeAsync(server));
        Assert.Equal((1, 1, 1, 2), (busy["zimage_queue_depth"], busy["zimage_jobs_running"], busy["zimage_ready"], busy["zimage_jobs_submitted_total"]));
        Assert.Equal(64, busy["zimage_queue_capacity"]);

        server.Generator.Open();
        await server.FinishedAsync(first);
        await server.FinishedAsync(second);
        string text = await ScrapeAsync(server);
        Dictionary<string, double> done = Samples(text);
        Assert.Equal((0, 0, 2, 3, 2), (done["zimage_queue_depth"], done["zimage_jobs_running"], done["zimage_jobs_completed_total"], done["zimage_images_generated_total"], done["zimage_batches_total"]));
        Assert.Equal((0, 0, 0), (done["zimage_jobs_failed_total"], done["zimage_jobs_cancelled_total"], done["zimage_jobs_rejected_total"]));
        // Three images within the last minute of the (manual) clock.
        Assert.Equal(3 / 60.0, done["zimage_images_per_second"], 1e-12);

        // One histogram family per stage label: one HELP/TYPE block, cumulative buckets ending in +Inf = count.
        Assert.Single(text.Split('\n'), l => l == "# TYPE zimage_stage_duration_seconds histogram");
        foreach (string stage in new[] { "encoding_prompt", "preparing_latents", "denoising", "decoding" })
        {
            Assert.Equal(2, done[$"zimage_stage_duration_seconds_count{{stage=\"{stage}\"}}"]);
            Assert.Equal(2, done[$"zimage_stage_duration_seconds_bucket{{stage=\"{stage}\",le=\"+Inf\"}}"]);
            Assert.True(done[$"zimage_stage_duration_seconds_sum{{stage=\"{stage}\"}}"] >= 0);
        }

        Assert.Equal((2, 2), (done["zimage_job_duration_seconds_count"], done["zimage_queue_wait_seconds_count"]));
        Assert.Equal(2, done["zimage_batch_size_bucket{le=\"1\"}"]);
        Assert.True(done["process_resident_memory_bytes"] > 1 << 20);
        Assert.True(done["process_managed_heap_bytes"] > 0);
        Assert.True(done["zimage_results_stored_bytes"] > 0);
        Assert.Equal(2, done["zimage_results_stored"]);

        // The CPU backend's host pool, labelled by device; no GPU gauge on the CPU.
        Assert.True(done["zimage_pool_peak_allocated_bytes{device=\"cpu\"}"] >= done["zimage_pool_allocated_bytes{device=\"cpu\"}"]);
        Assert.True(done.ContainsKey("zimage_pool_cached_bytes{device=\"cpu\"}"));
        Assert.True(done.ContainsKey("zimage_pool_misses_total{device=\"cpu\"}"));
        Assert.DoesNotContain("zimage_device_memory_bytes", text, StringComparison.Ordinal);

        server.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(0, Samples(await ScrapeAsync(server))["zimage_images_per_second"]);
    }

    private static async Task<string> ScrapeAsync(TestServer server)
    {
        using HttpResponseMessage response = await server.Http.GetAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Every sample line as name{labels} → value; each family's HELP and TYPE precede its samples.</summary>
    private static Dictionary<string, double> Samples(string text)
    {
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var typed = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in text.TrimEnd('\n').Split('\n'))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                Assert.True(typed.Add(line.Split(' ')[2]), $"TYPE given twice: {line}");
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            int space = line.LastIndexOf(' ');
            string key = line[..space];
            string family = key.Split('{')[0];
            Assert.True(typed.Contains(family) || typed.Contains(family[..family.LastIndexOf('_')]), $"sample before its TYPE: {line}");
            string value = line[(space + 1)..];
            samples.Add(key, value == "+Inf" ? double.PositiveInfinity : double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return samples;
    }
}
