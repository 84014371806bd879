using System.Diagnostics;
using System.Globalization;

namespace ZImageSharp.Cli.Commands.Generate;

/// <summary>One line per stage and per step, with the time since the stage began: for logs, pipes and CI.</summary>
internal sealed class PlainDisplay(TextWriter output) : GenerateDisplay
{
    private readonly Lock _lock = new();
    private readonly Stopwatch _stage = new();

    /// <inheritdoc/>
    public override Task<T> RunAsync<T>(Func<Task<T>> work) => work();

    /// <inheritdoc/>
    protected override void StageStarted(string name, int totalSteps)
    {
        lock (_lock)
        {
            _stage.Restart();
            output.WriteLine(totalSteps > 0 ? $"{name}: {totalSteps} steps" : $"{name}");
        }
    }

    /// <inheritdoc/>
    protected override void StepCompleted(int step, int totalSteps)
    {
        lock (_lock)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  step {step}/{totalSteps} ({_stage.Elapsed.TotalSeconds:F2} s)"));
        }
    }

    /// <inheritdoc/>
    protected override void Finished()
    {
    }
}
