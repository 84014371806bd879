using Microsoft.Extensions.Logging;

namespace ZImageSharp.Server;

/// <summary>How the server is hosted, apart from what users configure: the clock, logging and signal handling.</summary>
public sealed record ServerHostOptions
{
    /// <summary>The clock of TTLs and timestamps (tests move a manual one); the system clock when null.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>Replaces the default console logging (single lines with timestamps and the request id).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>Stop gracefully on SIGINT/SIGTERM (the CLI); tests and embedders stop the server themselves.</summary>
    public bool HandleSignals { get; init; } = true;
}
