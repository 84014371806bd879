using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ZImageSharp.Pipelines;
using ZImageSharp.Server.Generation;
using ZImageSharp.Server.Jobs;

namespace ZImageSharp.Server.Hosting;

/// <summary>
/// The one worker of a device: loads the model, runs the warm-up generations, reports ready, then takes batches of
/// compatible jobs from the queue and runs them one after another. A failing batch fails its jobs and the loop goes
/// on. On shutdown it stops taking jobs, cancels those waiting, and gives the running batch
/// <see cref="ServerOptions.ShutdownGrace"/> to finish before cancelling it.
/// </summary>
internal sealed class GenerationWorker(
    JobScheduler jobs,
    ImageGeneratorFactory factory,
    ModelDescription model,
    ServerOptions options,
    ServerState state,
    TimeProvider time,
    GeneratorHolder holder,
    IHostApplicationLifetime lifetime,
    ILogger<GenerationWorker> logger) : BackgroundService
{
    private readonly ResultWriter _writer = new(model.Name, options.OutputDirectory, time, logger);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken hostStopping)
    {
        // Off the host's start-up path: a model load takes minutes and /health/live must answer meanwhile.
        await Task.Yield();

        // Shutdown starts at ApplicationStopping, before Kestrel drains its requests: waiting jobs are cancelled at
        // once (their OpenAI callers get an answer) and the running batch's grace starts.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(hostStopping, lifetime.ApplicationStopping);
        CancellationToken stoppingToken = stopping.Token;
        using CancellationTokenRegistration onStop = stoppingToken.Register(() =>
        {
            state.Set(ServerPhase.Stopping, "shutting down");
            ServerLog.Stopping(logger, options.ShutdownGrace.TotalSeconds);
            CancelWaiting("the server shut down before the job started");
        });
        IImageGenerator? generator = await LoadAsync(stoppingToken).ConfigureAwait(false);
        if (generator is null)
        {
            if (stoppingToken.IsCancellationRequested)
            {
                CancelWaiting("the server shut down before the job started");
            }
            else
            {
                jobs.Queue.Close().ToList().ForEach(j => Fail(j, $"the model could not be loaded: {state.Detail}"));
            }

            return;
        }

        using (generator)
        {
            holder.Generator = generator;
            if (await WarmUpAsync(generator, stoppingToken).ConfigureAwait(false))
            {
                state.Set(ServerPhase.Ready, "ready");
                ServerLog.Ready(logger);
                while (!stoppingToken.IsCancellationRequested)
                {
                    IReadOnlyList<GenerationJob> batch;
                    try
                    {
                        batch = await jobs.Queue.TakeBatchAsync(options.MaxBatch, stoppingToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }

                    await RunBatchAsync(generator, batch, stoppingToken).ConfigureAwait(false);
                }
            }

            holder.Generator = null;
        }

        if (state.Phase == ServerPhase.Failed)
        {
            jobs.Queue.Close().ToList().ForEach(j => Fail(j, $"the server cannot generate: {state.Detail}"));
        }
        else
        {
            CancelWaiting("the server shut down before the job started");
        }
    }

    private async Task<IImageGenerator?> LoadAsync(CancellationToken stoppingToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var progress = new InlineProgress<string>(component =>
            {
                state.Set(ServerPhase.Loading, $"loading {component}");
                ServerLog.Loading(logger, component);
            });
            IImageGenerator generator = await factory(progress, stoppingToken).ConfigureAwait(false);
            ServerLog.Loaded(logger, clock.Elapsed.TotalSeconds);
            return generator;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            // Any failure to load is reported, not thrown: the process stays up so health checks can say why.
            state.Set(ServerPhase.Failed, e.Message.ReplaceLineEndings(" "));
            ServerLog.LoadFailed(logger, e);
            return null;
        }
    }

    private async Task<bool> WarmUpAsync(IImageGenerator generator, CancellationToken stoppingToken)
    {
        // The smallest allowed image with two steps: enough to JIT every kernel and size the buffers.
        int size = options.Limits.MinSize;
        var request = new GenerationRequest("warm-up") { Width = size, Height = size, Steps = 2, Seed = 0 };
        for (int i = 1; i <= options.Warmup; i++)
        {
            state.Set(ServerPhase.WarmingUp, $"warm-up {i} of {options.Warmup}");
            var clock = Stopwatch.StartNew();
            try
            {
                IReadOnlyList<GenerationOutcome> outcomes = await generator.GenerateBatchAsync([request], progress: null, stoppingToken).ConfigureAwait(false);
                if (outcomes[0].Error is { } error)
                {
                    throw error;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception e)
            {
                state.Set(ServerPhase.Failed, $"the warm-up generation failed: {e.Message.ReplaceLineEndings(" ")}");
                ServerLog.LoadFailed(logger, e);
                return false;
            }

            ServerLog.WarmedUp(logger, i, options.Warmup, clock.Elapsed.TotalMilliseconds);
        }

        return true;
    }

    private async Task RunBatchAsync(IImageGenerator generator, IReadOnlyList<GenerationJob> taken, CancellationToken stoppingToken)
    {
        DateTimeOffset startedAt = time.GetUtcNow();
        List<GenerationJob> batch = [.. taken.Where(j => j.TryStart(startedAt, taken.Count))];
        if (batch.Count == 0)
        {
            return;
        }

        foreach (GenerationJob job in batch)
        {
            jobs.Metrics.QueueWait.Observe((startedAt - job.CreatedAt).TotalSeconds);
        }

        using var cancel = new CancellationTokenSource();
        var registrations = new List<CancellationTokenRegistration>(batch.Count + 1);
        int live = batch.Count;
        foreach (GenerationJob job in batch)
        {
            // The batch stops (at its next step) only when every job in it is cancelled; otherwise the others go on
            // and the cancelled one's images are dropped.
            registrations.Add(job.CancellationToken.Register(() =>
            {
                if (Interlocked.Decrement(ref live) == 0)
                {
                    cancel.Cancel();
                }
            }));
        }

        registrations.Add(stoppingToken.Register(() => cancel.CancelAfter(options.ShutdownGrace)));
        jobs.Metrics.BatchStarted(batch.Count);
        ServerLog.BatchStarted(logger, batch.Count, batch.Sum(j => j.Request.Count), string.Join(",", batch.Select(j => j.Id)));
        var clock = Stopwatch.StartNew();
        IReadOnlyDictionary<GenerationStage, TimeSpan>? timings = null;
        try
        {
            var progress = new InlineProgress<GenerationProgress>(p => batch.ForEach(j => j.Report(p)));
            IReadOnlyList<GenerationOutcome> outcomes = await generator.GenerateBatchAsync([.. batch.Select(j => j.Request)], progress, cancel.Token).ConfigureAwait(false);
            timings = outcomes.FirstOrDefault(o => o.Result is not null)?.Result!.Timings;
            for (int i = 0; i < batch.Count; i++)
            {
                Finish(batch[i], outcomes[i]);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            string reason = stoppingToken.IsCancellationRequested ? "the server shut down before the job finished" : "cancelled";
            batch.ForEach(j => jobs.Cancel(j, reason));
        }
        catch (Exception e)
        {
            // A failing batch (out of memory, a backend error) fails its jobs; the worker and the server go on.
            ServerLog.BatchFailed(logger, e);
            batch.ForEach(j => Fail(j, $"generation failed: {e.Message.ReplaceLineEndings(" ")}"));
        }
        finally
        {
            registrations.ForEach(r => r.Dispose());
            jobs.Metrics.BatchEnded(batch.Count, timings);
            jobs.BatchFinished(clock.Elapsed);
        }
    }

    private void Finish(GenerationJob job, GenerationOutcome outcome)
    {
        if (outcome.Result is not { } result)
        {
            Fail(job, outcome.Error?.Message ?? "generation failed");
            return;
        }

        if (job.IsFinished)
        {
            return;
        }

        IReadOnlyList<StoredImage> images = _writer.Write(job, result);
        jobs.Store.AddImages(images);
        DateTimeOffset now = time.GetUtcNow();
        if (job.TryComplete(images, result, now))
        {
            jobs.Metrics.JobCompleted(images.Count, now - job.CreatedAt);
            ServerLog.JobCompleted(logger, job.Id, (now - job.CreatedAt).TotalMilliseconds, images.Count);
        }
        else
        {
            jobs.Store.RemoveImages(images);
        }
    }

    private void Fail(GenerationJob job, string reason)
    {
        if (job.TryFail(reason, time.GetUtcNow()))
        {
            jobs.Metrics.JobFailed();
            ServerLog.JobFailed(logger, job.Id, reason);
        }
    }

    private void CancelWaiting(string reason)
    {
        foreach (GenerationJob job in jobs.Queue.Close())
        {
            jobs.Cancel(job, reason);
        }
    }
}
