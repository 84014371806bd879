using System.Diagnostics;
using ZImageSharp.Pipelines;
using ZImageSharp.Tensors;

namespace ZImageSharp.Server.Metrics;

/// <summary>
/// The server's counters, gauges and histograms, and their Prometheus exposition (<c>GET /metrics</c>). Gauges that
/// belong to other objects (queue depth, readiness) are read from them when written.
/// </summary>
/// <param name="time">The clock of the images/s window.</param>
public sealed class ServerMetrics(TimeProvider time)
{
    /// <summary>The window of <c>zimage_images_per_second</c>.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(60);

    private static readonly GenerationStage[] s_stages = [GenerationStage.EncodingPrompt, GenerationStage.PreparingLatents, GenerationStage.Denoising, GenerationStage.Decoding];
    private readonly Dictionary<GenerationStage, Histogram> _stages = s_stages.ToDictionary(s => s, _ => new Histogram(Histogram.SecondsBounds));
    private readonly Queue<(DateTimeOffset At, int Images)> _recent = new();
    private readonly Lock _lock = new();
    private long _submitted;
    private long _rejected;
    private long _completed;
    private long _failed;
    private long _cancelled;
    private long _images;
    private long _batches;
    private int _running;

    /// <summary>Submission to final state, per job.</summary>
    public Histogram JobDuration { get; } = new(Histogram.SecondsBounds);

    /// <summary>Submission to start, per job.</summary>
    public Histogram QueueWait { get; } = new(Histogram.SecondsBounds);

    /// <summary>Requests per batch.</summary>
    public Histogram BatchSize { get; } = new([1, 2, 3, 4, 6, 8, 12, 16, 32, 64]);

    /// <summary>Jobs completed so far.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Jobs in the batch now running.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>A job was accepted into the queue.</summary>
    public void Submitted() => Interlocked.Increment(ref _submitted);

    /// <summary>A job was refused because the queue was full (429).</summary>
    public void Rejected() => Interlocked.Increment(ref _rejected);

    /// <summary>A batch of <paramref name="size"/> jobs started.</summary>
    public void BatchStarted(int size)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _running, size);
        BatchSize.Observe(size);
    }

    /// <summary>A batch of <paramref name="size"/> jobs ended; <paramref name="timings"/> are its stage times, when it got that far.</summary>
    public void BatchEnded(int size, IReadOnlyDictionary<GenerationStage, TimeSpan>? timings)
    {
        Interlocked.Add(ref _running, -size);
        foreach ((GenerationStage stage, TimeSpan duration) in timings ?? new Dictionary<GenerationStage, TimeSpan>())
        {
            if (_stages.TryGetValue(stage, out Histogram? histogram))
            {
                histogram.Observe(duration.TotalSeconds);
            }
        }
    }

    /// <summary>A job completed with <paramref name="images"/> images after <paramref name="total"/>.</summary>
    public void JobCompleted(int images, TimeSpan total)
    {
        Interlocked.Increment(ref _completed);
        Interlocked.Add(ref _images, images);
        JobDuration.Observe(total.TotalSeconds);
        lock (_lock)
        {
            _recent.Enqueue((time.GetUtcNow(), images));
        }
    }

    /// <summary>A job failed.</summary>
    public void JobFailed() => Interlocked.Increment(ref _failed);

    /// <summary>A job was cancelled.</summary>
    public void JobCancelled() => Interlocked.Increment(ref _cancelled);

    /// <summary>Images completed per second over the last <see cref="RateWindow"/>.</summary>
    public double ImagesPerSecond()
    {
        DateTimeOffset now = time.GetUtcNow();
        lock (_lock)
        {
            while (_recent.TryPeek(out var oldest) && oldest.At < now - RateWindow)
            {
                _recent.Dequeue();
            }

            return _recent.Sum(r => r.Images) / RateWindow.TotalSeconds;
        }
    }

    /// <summary>The exposition, with the gauges read now.</summary>
    /// <param name="queueDepth">Jobs waiting.</param>
    /// <param name="queueCapacity">Jobs that may wait.</param>
    /// <param name="ready">Loaded and warmed up.</param>
    /// <param name="storedJobs">Jobs in the store.</param>
    /// <param name="storedImageBytes">PNG bytes in the store.</param>
    /// <param name="device">Where the model runs (<c>cpu</c>, <c>cuda:0</c>): the label of its memory pool.</param>
    /// <param name="pool">The backend's memory pool, or null (not loaded yet, or no pool).</param>
    public string Write(int queueDepth, int queueCapacity, bool ready, int storedJobs, long storedImageBytes, string device, MemoryStatistics? pool)
    {
        using var process = Process.GetCurrentProcess();
        var writer = new PrometheusWriter()
            .Gauge("zimage_ready", "1 when the model is loaded and warmed up.", ready ? 1 : 0)
            .Gauge("zimage_queue_depth", "Jobs waiting in the queue.", queueDepth)
            .Gauge("zimage_queue_capacity", "Jobs the queue holds before answering 429.", queueCapacity)
            .Gauge("zimage_jobs_running", "Jobs in the batch now running.", Running)
            .Counter("zimage_jobs_submitted_total", "Jobs accepted into the queue.", Interlocked.Read(ref _submitted))
            .Counter("zimage_jobs_rejected_total", "Jobs refused with 429 because the queue was full.", Interlocked.Read(ref _rejected))
            .Counter("zimage_jobs_completed_total", "Jobs finished with their images.", Completed)
            .Counter("zimage_jobs_failed_total", "Jobs finished without images because generation failed.", Interlocked.Read(ref _failed))
            .Counter("zimage_jobs_cancelled_total", "Jobs cancelled by a client or by shutdown.", Interlocked.Read(ref _cancelled))
            .Counter("zimage_images_generated_total", "Images generated.", Interlocked.Read(ref _images))
            .Counter("zimage_batches_total", "Transformer batches run.", Interlocked.Read(ref _batches))
            .Gauge("zimage_images_per_second", "Images completed per second over the last minute.", ImagesPerSecond())
            .Gauge("zimage_results_stored", "Jobs kept in memory (queued, running, or finished within the TTL).", storedJobs)
            .Gauge("zimage_results_stored_bytes", "Bytes of PNG kept in memory.", storedImageBytes);
        foreach (GenerationStage stage in s_stages)
        {
            writer.Histogram("zimage_stage_duration_seconds", "Time per pipeline stage, per batch.", _stages[stage], ("stage", Jobs.JobJson.StageName(stage)));
        }

        writer
            .Histogram("zimage_job_duration_seconds", "Time from submission to the final state, per completed job.", JobDuration)
            .Histogram("zimage_queue_wait_seconds", "Time from submission to start, per job.", QueueWait)
            .Histogram("zimage_batch_size", "Jobs per transformer batch.", BatchSize)
            .Gauge("process_resident_memory_bytes", "Resident memory of the server process.", process.WorkingSet64)
            .Gauge("process_peak_resident_memory_bytes", "Peak resident memory of the server process.", process.PeakWorkingSet64)
            .Gauge("process_managed_heap_bytes", "Bytes on the .NET garbage-collected heap.", GC.GetTotalMemory(forceFullCollection: false))
            .Counter("process_cpu_seconds_total", "CPU time of the server process.", process.TotalProcessorTime.TotalSeconds);
        if (pool is { } memory)
        {
            (string, string) label = ("device", device);
            writer
                .Gauge("zimage_pool_allocated_bytes", "Bytes of the backend's memory pool held by live tensors (host memory on the CPU, device memory on a GPU).", memory.AllocatedBytes, label)
                .Gauge("zimage_pool_peak_allocated_bytes", "The most bytes the pool's live tensors have held.", memory.PeakAllocatedBytes, label)
                .Gauge("zimage_pool_cached_bytes", "Bytes freed by tensors but kept by the pool for reuse (given back between pipeline stages).", memory.CachedBytes, label)
                .Counter("zimage_pool_hits_total", "Allocations served from the pool's cache.", memory.Hits, label)
                .Counter("zimage_pool_misses_total", "Allocations that went to the system (or the device driver).", memory.Misses, label);
            if (!device.StartsWith("cpu", StringComparison.Ordinal))
            {
                // A GPU backend's pool is device memory: what it holds (live and cached) is what the device has given it.
                writer.Gauge("zimage_device_memory_bytes", "GPU memory held by the backend (live tensors and cache).", memory.AllocatedBytes + memory.CachedBytes, label);
            }
        }

        return writer.ToString();
    }
}
