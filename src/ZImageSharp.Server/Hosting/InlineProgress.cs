namespace ZImageSharp.Server.Hosting;

/// <summary>Reports on the reporting thread, in order (<see cref="Progress{T}"/> would post to the thread pool and reorder steps).</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc/>
    public void Report(T value) => report(value);
}
