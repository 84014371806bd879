using System.Net;

namespace ZImageSharp.Server;

/// <summary>How <c>zimage serve</c> runs: where it listens, who may call it, how much it queues and keeps.</summary>
public sealed record ServerOptions
{
    /// <summary>The address to bind: an IP address or <c>localhost</c>. Loopback by default.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The TCP port; 0 picks a free one (tests).</summary>
    public int Port { get; init; } = 7860;

    /// <summary>When set, API calls need <c>Authorization: Bearer KEY</c>.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Allow a non-loopback address without an API key.</summary>
    public bool Insecure { get; init; }

    /// <summary>Jobs that may wait in the queue (running ones not counted); more get 429.</summary>
    public int MaxQueue { get; init; } = 64;

    /// <summary>Most images in one transformer batch (queued compatible requests are joined up to this).</summary>
    public int MaxBatch { get; init; } = 4;

    /// <summary>Generations run before the server reports ready.</summary>
    public int Warmup { get; init; } = 1;

    /// <summary>When set, every image is also written there as a PNG with its parameters.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>How long finished jobs and their images stay available.</summary>
    public TimeSpan ResultTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>On shutdown, how long a running batch may go on before it is cancelled.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>What requests may ask for.</summary>
    public GenerationLimits Limits { get; init; } = new();

    /// <summary>Checks the options before anything starts.</summary>
    /// <exception cref="ServerOptionsException">Naming the option and the rule.</exception>
    public void Validate()
    {
        Require(Port is >= 0 and <= 65535, $"--port must be between 0 and 65535, got {Port}.");
        Require(MaxQueue >= 1, $"--max-queue must be at least 1, got {MaxQueue}.");
        Require(MaxBatch >= 1, $"--max-batch must be at least 1, got {MaxBatch}.");
        Require(Warmup >= 0, $"--warmup must be 0 or more, got {Warmup}.");
        Require(ResultTtl > TimeSpan.Zero, $"the result TTL must be positive, got {ResultTtl}.");
        Require(ApiKey is null || ApiKey.Length > 0, "--api-key must not be empty.");
        Require(ParseHost(Host) is not null, $"--host {Host}: give an IP address (127.0.0.1, 0.0.0.0, ::1, ::) or localhost.");
        Require(Limits.MinSize >= Limits.SizeMultiple && Limits.MinSize <= Limits.MaxSize, "the size limits must satisfy multiple ≤ min ≤ max.");
        if (!IsLoopback && ApiKey is null && !Insecure)
        {
            throw new ServerOptionsException(
                $"--host {Host} is reachable from other machines: give --api-key KEY (or $ZIMAGE_API_KEY), or --insecure to serve without authentication.");
        }
    }

    /// <summary>True when <see cref="Host"/> is reachable from this machine only.</summary>
    public bool IsLoopback => string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase) || (ParseHost(Host) is { } address && IPAddress.IsLoopback(address));

    /// <summary>The address to bind, or null when <paramref name="host"/> is neither an IP address nor localhost.</summary>
    internal static IPAddress? ParseHost(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        string trimmed = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(trimmed, out IPAddress? address) ? address : null;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ServerOptionsException(message);
        }
    }
}
