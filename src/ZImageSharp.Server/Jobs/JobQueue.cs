using ZImageSharp.Pipelines;

namespace ZImageSharp.Server.Jobs;

/// <summary>
/// The bounded queue between the HTTP handlers and the workers. Not a channel: a worker takes the oldest job and then
/// every later job that can share its transformer batch (same size, steps and guidance), up to a number of images, and
/// a cancelled job leaves from the middle.
/// </summary>
/// <param name="capacity">Jobs that may wait; one more is refused (the handler answers 429).</param>
public sealed class JobQueue(int capacity) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly LinkedList<GenerationJob> _jobs = new();
    private readonly SemaphoreSlim _signal = new(0);
    private bool _closed;

    /// <summary>Jobs that may wait.</summary>
    public int Capacity { get; } = capacity >= 1 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>Jobs waiting now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _jobs.Count;
            }
        }
    }

    /// <summary>Adds <paramref name="job"/> at the end; false when the queue is full or closed.</summary>
    /// <param name="job">The job.</param>
    /// <param name="position">Its 1-based position (1 = next) when added.</param>
    public bool TryEnqueue(GenerationJob job, out int position)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_lock)
        {
            if (_closed || _jobs.Count >= Capacity)
            {
                position = 0;
                return false;
            }

            _jobs.AddLast(job);
            position = _jobs.Count;
            job.Queued(position);
        }

        _signal.Release();
        return true;
    }

    /// <summary>Removes a job that is still waiting (it was cancelled); false when a worker already took it.</summary>
    public bool TryRemove(GenerationJob job)
    {
        lock (_lock)
        {
            return _jobs.Remove(job);
        }
    }

    /// <summary>The 1-based position of <paramref name="job"/>, or null when it is not waiting.</summary>
    public int? PositionOf(GenerationJob job)
    {
        lock (_lock)
        {
            int position = 1;
            for (LinkedListNode<GenerationJob>? node = _jobs.First; node is not null; node = node.Next, position++)
            {
                if (ReferenceEquals(node.Value, job))
                {
                    return position;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// Waits for a job, then takes it and every later waiting job that can share its batch while the images stay
    /// within <paramref name="maxImages"/> (the first job is taken whatever its image count).
    /// </summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> fires first.</exception>
    public async Task<IReadOnlyList<GenerationJob>> TakeBatchAsync(int maxImages, CancellationToken cancellationToken)
    {
        while (true)
        {
            await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                // The signal counts additions; cancelled jobs leave without taking theirs, so it may wake us for nothing.
                if (_jobs.First is not { } first)
                {
                    continue;
                }

                var batch = new List<GenerationJob> { first.Value };
                int images = first.Value.Request.Count;
                _jobs.RemoveFirst();
                for (LinkedListNode<GenerationJob>? node = _jobs.First; node is not null;)
                {
                    LinkedListNode<GenerationJob>? next = node.Next;
                    GenerationRequest candidate = node.Value.Request;
                    if (images + candidate.Count <= maxImages && ZImagePipeline.CanBatch(first.Value.Request, candidate))
                    {
                        batch.Add(node.Value);
                        images += candidate.Count;
                        _jobs.Remove(node);
                    }

                    node = next;
                }

                return batch;
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _signal.Dispose();

    /// <summary>Refuses new jobs from now on and hands back those still waiting (shutdown cancels them).</summary>
    public IReadOnlyList<GenerationJob> Close()
    {
        lock (_lock)
        {
            _closed = true;
            var waiting = _jobs.ToArray();
            _jobs.Clear();
            return waiting;
        }
    }
}
