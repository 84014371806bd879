using ZImageSharp.Pipelines;

namespace ZImageSharp.Server.Jobs;

/// <summary>
/// One generation request through the server: its state machine, progress, results, and the event history that
/// Server-Sent Events replay and follow. All transitions hold one lock, so a cancel racing a completion has one winner.
/// </summary>
public sealed class GenerationJob : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<JobEvent> _events = [];
    private readonly CancellationTokenSource _cancel = new();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates a queued job; <paramref name="request"/> has its seed resolved.</summary>
    public GenerationJob(string id, GenerationRequest request, string requestId, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(request);
        Id = id;
        Request = request;
        RequestId = requestId;
        CreatedAt = createdAt;
    }

    /// <summary>The job id.</summary>
    public string Id { get; }

    /// <summary>What to generate (seed resolved).</summary>
    public GenerationRequest Request { get; }

    /// <summary>The HTTP request id that submitted it (for logs).</summary>
    public string RequestId { get; }

    /// <summary>When it was submitted.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Current state.</summary>
    public JobStatus Status { get; private set; } = JobStatus.Queued;

    /// <summary>When a worker took it.</summary>
    public DateTimeOffset? StartedAt { get; private set; }

    /// <summary>When it completed, failed or was cancelled.</summary>
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>The stage last reported (null while queued).</summary>
    public GenerationStage? Stage { get; private set; }

    /// <summary>Denoising steps completed.</summary>
    public int Step { get; private set; }

    /// <summary>Denoising steps in all (0 before the loop starts).</summary>
    public int TotalSteps { get; private set; }

    /// <summary>Requests in the batch it ran in (0 before it runs).</summary>
    public int BatchSize { get; private set; }

    /// <summary>The images, once completed.</summary>
    public IReadOnlyList<StoredImage> Images { get; private set; } = [];

    /// <summary>Why it failed or was cancelled.</summary>
    public string? Error { get; private set; }

    /// <summary>Notices from the pipeline (e.g. a truncated prompt).</summary>
    public IReadOnlyList<string> Warnings { get; private set; } = [];

    /// <summary>Time per pipeline stage, once completed.</summary>
    public IReadOnlyDictionary<GenerationStage, TimeSpan> Timings { get; private set; } = new Dictionary<GenerationStage, TimeSpan>();

    /// <summary>Fires when the job is cancelled.</summary>
    public CancellationToken CancellationToken => _cancel.Token;

    /// <summary>Completes when the job reaches a final state.</summary>
    public Task Finished => _finished.Task;

    /// <summary>True in a final state.</summary>
    public bool IsFinished => Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled;

    /// <summary>Progress in [0, 1] for bars: prompt encoding 5 %, denoising up to 90 %, decoding the rest.</summary>
    public double Fraction => Status == JobStatus.Completed ? 1 : (Stage, TotalSteps) switch
    {
        (GenerationStage.EncodingPrompt, _) => 0.02,
        (GenerationStage.PreparingLatents, _) => 0.05,
        (GenerationStage.Denoising, > 0) => 0.05 + (0.85 * Step / TotalSteps),
        (GenerationStage.Decoding, _) => 0.92,
        (GenerationStage.Done, _) => 0.97,
        _ => 0,
    };

    /// <summary>Records that the job entered the queue at <paramref name="position"/> (1 = next).</summary>
    internal void Queued(int position)
    {
        lock (_lock)
        {
            Append("queued", JobJson.Queued(this, position));
        }
    }

    /// <summary>Queued → Running; false when it was cancelled first.</summary>
    internal bool TryStart(DateTimeOffset now, int batchSize)
    {
        lock (_lock)
        {
            if (Status != JobStatus.Queued)
            {
                return false;
            }

            Status = JobStatus.Running;
            StartedAt = now;
            BatchSize = batchSize;
            Append("started", JobJson.Started(this));
            return true;
        }
    }

    /// <summary>A progress report of the batch the job runs in.</summary>
    internal void Report(GenerationProgress progress)
    {
        lock (_lock)
        {
            if (Status != JobStatus.Running)
            {
                return;
            }

            bool newStage = Stage != progress.Stage;
            Stage = progress.Stage;
            Step = progress.Step;
            TotalSteps = progress.TotalSteps > 0 ? progress.TotalSteps : TotalSteps;
            Append(newStage ? "stage" : "step", JobJson.Progress(this));
        }
    }

    /// <summary>Running → Completed with the images; false when it was cancelled meanwhile.</summary>
    internal bool TryComplete(IReadOnlyList<StoredImage> images, GenerationResult result, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (Status != JobStatus.Running)
            {
                return false;
            }

            Images = images;
            Warnings = result.Warnings;
            Timings = result.Timings;
            return Finish(JobStatus.Completed, error: null, now);
        }
    }

    /// <summary>Queued or Running → Failed; false when already final.</summary>
    internal bool TryFail(string error, DateTimeOffset now)
    {
        lock (_lock)
        {
            return !IsFinished && Finish(JobStatus.Failed, error, now);
        }
    }

    /// <summary>Queued or Running → Cancelled (a running batch notices at its next step); false when already final.</summary>
    internal bool TryCancel(string reason, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (IsFinished)
            {
                return false;
            }

            Finish(JobStatus.Cancelled, reason, now);
        }

        // Outside the lock: callbacks registered on the token run synchronously.
        _cancel.Cancel();
        return true;
    }

    /// <summary>The events from <paramref name="sequence"/> on, and a task that completes when another arrives.</summary>
    internal (IReadOnlyList<JobEvent> Events, Task Changed) EventsFrom(int sequence)
    {
        lock (_lock)
        {
            int start = Math.Clamp(sequence, 0, _events.Count);
            return (_events.GetRange(start, _events.Count - start), _changed.Task);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _cancel.Dispose();

    private bool Finish(JobStatus status, string? error, DateTimeOffset now)
    {
        Status = status;
        Error = error;
        FinishedAt = now;
        Append(status switch { JobStatus.Completed => "done", JobStatus.Failed => "failed", _ => "cancelled" }, JobJson.Job(this));
        _finished.TrySetResult();
        return true;
    }

    private void Append(string type, string data)
    {
        _events.Add(new JobEvent(_events.Count, type, data));
        TaskCompletionSource changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }
}
