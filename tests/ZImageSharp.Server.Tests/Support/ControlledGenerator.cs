using ZImageSharp.Pipelines;
using ZImageSharp.Server.Generation;
using ZImageSharp.Tensors;

namespace ZImageSharp.Server.Tests.Support;

/// <summary>
/// Wraps the real demo generator so a test controls when a batch runs (<see cref="Hold"/> / <see cref="Allow"/>), can
/// stop one mid-loop at a step (<see cref="PauseAtStep"/>), and sees every batch it ran. No timing luck: each wait is
/// on a signal, with a generous guard against a hang.
/// </summary>
internal sealed class ControlledGenerator(IImageGenerator inner) : IImageGenerator
{
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _permits = new(0);
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly SemaphoreSlim _paused = new(0);
    private readonly ManualResetEventSlim _resume = new(false);
    private readonly Lock _lock = new();
    private readonly List<IReadOnlyList<GenerationRequest>> _batches = [];
    private volatile bool _held;
    private int _pauseStep = -1;

    public MemoryStatistics? Memory => inner.Memory;

    /// <summary>Every batch that reached the generator, in order.</summary>
    public IReadOnlyList<IReadOnlyList<GenerationRequest>> Batches
    {
        get
        {
            lock (_lock)
            {
                return [.. _batches];
            }
        }
    }

    /// <summary>Batches that ended because their token was cancelled.</summary>
    public int CancelledBatches { get; private set; }

    /// <summary>Replaces a request before it runs (e.g. to provoke NaN through the real pipeline).</summary>
    public Func<GenerationRequest, GenerationRequest>? Rewrite { get; set; }

    /// <summary>Throws this for a batch holding a request with this prompt.</summary>
    public (string Prompt, Exception Error)? Failure { get; set; }

    /// <summary>From now on every batch waits for a permit.</summary>
    public void Hold() => _held = true;

    /// <summary>Lets <paramref name="batches"/> held batches run.</summary>
    public void Allow(int batches = 1) => _permits.Release(batches);

    /// <summary>Stops holding (and lets a waiting batch go).</summary>
    public void Open()
    {
        _held = false;
        _permits.Release(64);
    }

    /// <summary>Completes when a batch has reached the generator (held or not).</summary>
    public Task BatchArrivedAsync() => _arrived.WaitAsync(Guard);

    /// <summary>The next batch blocks its generation thread after completing denoising step <paramref name="step"/>.</summary>
    public void PauseAtStep(int step)
    {
        _resume.Reset();
        Volatile.Write(ref _pauseStep, step);
    }

    /// <summary>Completes when a batch is paused at the step.</summary>
    public Task PausedAsync() => _paused.WaitAsync(Guard);

    /// <summary>Lets a paused batch go on.</summary>
    public void Resume()
    {
        Volatile.Write(ref _pauseStep, -1);
        _resume.Set();
    }

    public async Task<IReadOnlyList<GenerationOutcome>> GenerateBatchAsync(IReadOnlyList<GenerationRequest> requests, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _batches.Add(requests);
        }

        _arrived.Release();
        if (_held)
        {
            await _permits.WaitAsync(cancellationToken);
        }

        if (Failure is { } failure && requests.Any(r => r.Prompt == failure.Prompt))
        {
            throw failure.Error;
        }

        var relay = new Relay(progress, p =>
        {
            if (p.Stage == GenerationStage.Denoising && p.Step == Volatile.Read(ref _pauseStep))
            {
                _paused.Release();
                _resume.Wait(Guard);
            }
        });
        IReadOnlyList<GenerationRequest> run = Rewrite is { } rewrite ? [.. requests.Select(rewrite)] : requests;
        try
        {
            return await inner.GenerateBatchAsync(run, relay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            CancelledBatches++;
            throw;
        }
    }

    // The worker disposes the generator at shutdown while the test may still release its gates: only the model goes.
    public void Dispose() => inner.Dispose();

    private sealed class Relay(IProgress<GenerationProgress>? next, Action<GenerationProgress> hook) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value)
        {
            next?.Report(value);
            hook(value);
        }
    }
}
