using Microsoft.Extensions.Logging;

namespace ZImageSharp.Server.Hosting;

/// <summary>The server's log messages (source-generated: structured fields, no formatting cost when disabled).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "Listening on {Address} ({Model} on {Device}); web UI at {Address}/")]
    public static partial void Listening(ILogger logger, string address, string model, string device);

    [LoggerMessage(2, LogLevel.Warning, "No --model given: serving the built-in demo model (random weights, abstract images). Pass --model DIR for real images.")]
    public static partial void DemoModel(ILogger logger);

    [LoggerMessage(3, LogLevel.Information, "Loading {Component}")]
    public static partial void Loading(ILogger logger, string component);

    [LoggerMessage(4, LogLevel.Information, "Model loaded in {Seconds:F1} s")]
    public static partial void Loaded(ILogger logger, double seconds);

    [LoggerMessage(5, LogLevel.Critical, "The model could not be loaded; the server stays up but refuses jobs (health/ready answers 503)")]
    public static partial void LoadFailed(ILogger logger, Exception exception);

    [LoggerMessage(6, LogLevel.Information, "Warm-up {Index}/{Count} took {Milliseconds:F0} ms")]
    public static partial void WarmedUp(ILogger logger, int index, int count, double milliseconds);

    [LoggerMessage(7, LogLevel.Information, "Ready")]
    public static partial void Ready(ILogger logger);

    [LoggerMessage(8, LogLevel.Information, "Job {JobId} queued at position {Position} ({Width}x{Height}, {Steps} steps, {Count} image(s))")]
    public static partial void JobQueued(ILogger logger, string jobId, int position, int width, int height, int steps, int count);

    [LoggerMessage(9, LogLevel.Warning, "Queue full ({Capacity} jobs); answered 429 with Retry-After {RetryAfter} s")]
    public static partial void QueueFull(ILogger logger, int capacity, int retryAfter);

    [LoggerMessage(10, LogLevel.Information, "Batch of {Jobs} job(s), {Images} image(s) started: {JobIds}")]
    public static partial void BatchStarted(ILogger logger, int jobs, int images, string jobIds);

    [LoggerMessage(11, LogLevel.Information, "Job {JobId} completed in {Milliseconds:F0} ms ({Images} image(s))")]
    public static partial void JobCompleted(ILogger logger, string jobId, double milliseconds, int images);

    [LoggerMessage(12, LogLevel.Warning, "Job {JobId} failed: {Reason}")]
    public static partial void JobFailed(ILogger logger, string jobId, string reason);

    [LoggerMessage(13, LogLevel.Information, "Job {JobId} cancelled: {Reason}")]
    public static partial void JobCancelled(ILogger logger, string jobId, string reason);

    [LoggerMessage(14, LogLevel.Error, "A batch failed; its jobs are marked failed and the server goes on")]
    public static partial void BatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(15, LogLevel.Warning, "Could not write {Path}; the image stays available over HTTP")]
    public static partial void WriteFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(16, LogLevel.Information, "Shutting down: no new jobs; the running batch has {Seconds:F0} s to finish")]
    public static partial void Stopping(ILogger logger, double seconds);

    [LoggerMessage(17, LogLevel.Information, "{Method} {Path} -> {Status} in {Milliseconds:F1} ms")]
    public static partial void Request(ILogger logger, string method, string path, int status, double milliseconds);

    [LoggerMessage(18, LogLevel.Debug, "{Method} {Path} -> {Status} in {Milliseconds:F1} ms")]
    public static partial void QuietRequest(ILogger logger, string method, string path, int status, double milliseconds);
}
