using ZImageSharp.Pipelines;

namespace ZImageSharp.Cli.Commands.Generate;

/// <summary>
/// Shows a run as it happens: model loading, then the pipeline's stages and steps. The pipeline reports on its worker
/// thread, synchronously, so implementations must be thread-safe (one report at a time is guaranteed).
/// </summary>
internal abstract class GenerateDisplay : IProgress<GenerationProgress>
{
    /// <summary>Receives the name of each component as the loader starts it.</summary>
    public IProgress<string> Loading => new LoadingReports(this);

    /// <summary>Runs <paramref name="work"/> while the display is shown.</summary>
    public abstract Task<T> RunAsync<T>(Func<Task<T>> work);

    /// <inheritdoc/>
    public void Report(GenerationProgress value)
    {
        switch (value.Stage)
        {
            case GenerationStage.EncodingPrompt:
                StageStarted("encode prompt", 0);
                break;
            case GenerationStage.Denoising when value.Step == 0:
                StageStarted("denoise", value.TotalSteps);
                break;
            case GenerationStage.Denoising:
                StepCompleted(value.Step, value.TotalSteps);
                break;
            case GenerationStage.Decoding:
                StageStarted("decode", 0);
                break;
            case GenerationStage.Done:
                Finished();
                break;
            default:
                // Drawing the noise takes microseconds: not worth a line.
                break;
        }
    }

    /// <summary>A stage begins; <paramref name="totalSteps"/> is 0 when it has no steps to count.</summary>
    protected abstract void StageStarted(string name, int totalSteps);

    /// <summary>Step <paramref name="step"/> of <paramref name="totalSteps"/> of the current stage is done.</summary>
    protected abstract void StepCompleted(int step, int totalSteps);

    /// <summary>The last stage is done.</summary>
    protected abstract void Finished();

    private sealed class LoadingReports(GenerateDisplay display) : IProgress<string>
    {
        public void Report(string value) => display.StageStarted($"load {value}", 0);
    }
}
