using Spectre.Console;
using Spectre.Console.Rendering;

namespace ZImageSharp.Cli.Commands.Generate;

/// <summary>A Spectre.Console progress display on a terminal: one row per stage with a bar, steps i/N and the elapsed time.</summary>
internal sealed class LiveDisplay(IAnsiConsole console) : GenerateDisplay
{
    private readonly Lock _lock = new();
    private ProgressContext? _context;
    private ProgressTask? _current;

    /// <summary>True when <paramref name="output"/> is a terminal that can redraw in place.</summary>
    public static bool IsSupportedOn(TextWriter output) =>
        ReferenceEquals(output, Console.Out)
        && !Console.IsOutputRedirected
        && Environment.GetEnvironmentVariable("TERM") is not ("dumb" or null or "")
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>A display on the process's terminal.</summary>
    public static LiveDisplay OnConsole() => new(AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Out),
        Interactive = InteractionSupport.Yes,
    }));

    /// <inheritdoc/>
    public override async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        T result = default!;
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new StepsColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                _context = context;
                result = await work().ConfigureAwait(false);
                Finished();
            }).ConfigureAwait(false);
        return result;
    }

    /// <inheritdoc/>
    protected override void StageStarted(string name, int totalSteps)
    {
        lock (_lock)
        {
            Complete();
            _current = _context?.AddTask(name, maxValue: Math.Max(totalSteps, 1));
            if (_current is not null)
            {
                _current.IsIndeterminate = totalSteps == 0;
            }
        }
    }

    /// <inheritdoc/>
    protected override void StepCompleted(int step, int totalSteps)
    {
        lock (_lock)
        {
            _current?.Value = step;
        }
    }

    /// <inheritdoc/>
    protected override void Finished()
    {
        lock (_lock)
        {
            Complete();
        }
    }

    private void Complete()
    {
        if (_current is null)
        {
            return;
        }

        _current.IsIndeterminate = false;
        _current.Value = _current.MaxValue;
        _current.StopTask();
        _current = null;
    }

    /// <summary>"i/N" for counted stages, nothing for the others.</summary>
    private sealed class StepsColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            task.MaxValue > 1 ? new Text($"{task.Value:0}/{task.MaxValue:0}") : Text.Empty;
    }
}
