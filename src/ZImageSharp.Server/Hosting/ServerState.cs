namespace ZImageSharp.Server.Hosting;

/// <summary>The phase the worker has reached, with a sentence for health checks and the UI.</summary>
public sealed class ServerState
{
    private readonly Lock _lock = new();

    /// <summary>The current phase.</summary>
    public ServerPhase Phase { get; private set; } = ServerPhase.Loading;

    /// <summary>What is happening (the component loading, the warm-up count, the load error).</summary>
    public string Detail { get; private set; } = "loading the model";

    /// <summary>True when generations run at full speed.</summary>
    public bool IsReady => Phase == ServerPhase.Ready;

    /// <summary>True while new jobs are accepted (queued until ready).</summary>
    public bool IsAccepting => Phase is ServerPhase.Loading or ServerPhase.WarmingUp or ServerPhase.Ready;

    /// <summary>Moves to <paramref name="phase"/>; nothing leaves <see cref="ServerPhase.Stopping"/> or <see cref="ServerPhase.Failed"/> except into Stopping.</summary>
    public void Set(ServerPhase phase, string detail)
    {
        lock (_lock)
        {
            if (Phase == ServerPhase.Stopping || (Phase == ServerPhase.Failed && phase != ServerPhase.Stopping))
            {
                return;
            }

            Phase = phase;
            Detail = detail;
        }
    }
}
