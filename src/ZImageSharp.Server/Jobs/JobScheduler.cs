using Microsoft.Extensions.Logging;
using ZImageSharp.Pipelines;
using ZImageSharp.Server.Api;
using ZImageSharp.Server.Hosting;
using ZImageSharp.Server.Metrics;

namespace ZImageSharp.Server.Jobs;

/// <summary>What the HTTP handlers ask of the job system: submit (or be told to retry later), look up, cancel.</summary>
public sealed class JobScheduler
{
    private readonly ServerOptions _options;
    private readonly ServerState _state;
    private readonly TimeProvider _time;
    private readonly ILogger<JobScheduler> _logger;
    private readonly Lock _lock = new();
    private double _batchSeconds = 5;

    /// <summary>Creates the scheduler over a queue and a store.</summary>
    public JobScheduler(ServerOptions options, JobQueue queue, JobStore store, ServerMetrics metrics, ServerState state, TimeProvider time, ILogger<JobScheduler> logger)
    {
        _options = options;
        Queue = queue;
        Store = store;
        Metrics = metrics;
        _state = state;
        _time = time;
        _logger = logger;
    }

    /// <summary>The waiting jobs.</summary>
    public JobQueue Queue { get; }

    /// <summary>All jobs within their TTL, and their images.</summary>
    public JobStore Store { get; }

    /// <summary>The counters.</summary>
    public ServerMetrics Metrics { get; }

    /// <summary>Queues a job for <paramref name="request"/> (validated, seed resolved).</summary>
    /// <returns>The job and its 1-based queue position.</returns>
    /// <exception cref="ApiException">503 while not accepting; 429 with Retry-After when the queue is full.</exception>
    public (GenerationJob Job, int Position) Submit(GenerationRequest request, string requestId)
    {
        if (!_state.IsAccepting)
        {
            throw new ApiException(503, $"the server is not accepting jobs: {_state.Detail}.", code: "service_unavailable") { RetryAfterSeconds = _state.Phase == ServerPhase.Stopping ? null : 30 };
        }

        var job = new GenerationJob(JobIds.New(), request, requestId, _time.GetUtcNow());
        Store.Add(job);
        if (!Queue.TryEnqueue(job, out int position))
        {
            // Never visible: it was added to the store only so that an id is never handed out twice.
            job.TryCancel("the queue was full", _time.GetUtcNow());
            Store.Remove(job);
            Metrics.Rejected();
            int retry = RetryAfterSeconds();
            ServerLog.QueueFull(_logger, Queue.Capacity, retry);
            throw new ApiException(429, $"the queue is full ({Queue.Capacity} jobs waiting); retry in {retry} s.", code: "rate_limit_exceeded") { RetryAfterSeconds = retry };
        }

        Metrics.Submitted();
        ServerLog.JobQueued(_logger, job.Id, position, request.Width, request.Height, request.Steps, request.Count);
        return (job, position);
    }

    /// <summary>Cancels a queued or running job; false when it had already finished.</summary>
    public bool Cancel(GenerationJob job, string reason)
    {
        ArgumentNullException.ThrowIfNull(job);
        Queue.TryRemove(job);
        if (!job.TryCancel(reason, _time.GetUtcNow()))
        {
            return false;
        }

        Metrics.JobCancelled();
        ServerLog.JobCancelled(_logger, job.Id, reason);
        return true;
    }

    /// <summary>Records how long a batch took, for Retry-After estimates.</summary>
    internal void BatchFinished(TimeSpan duration)
    {
        lock (_lock)
        {
            // An exponential average: follows a model or size change within a few batches.
            _batchSeconds = (0.7 * _batchSeconds) + (0.3 * Math.Max(duration.TotalSeconds, 0.05));
        }
    }

    /// <summary>
    /// When a full queue will have room: the worker frees up to a batch of places when it takes the next batch, so
    /// about one recent batch time (1 s to 1 h).
    /// </summary>
    public int RetryAfterSeconds()
    {
        lock (_lock)
        {
            return (int)Math.Clamp(Math.Ceiling(_batchSeconds), 1, 3600);
        }
    }
}
