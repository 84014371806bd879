namespace ZImageSharp.Server.Hosting;

/// <summary>The server's life: <c>Loading → WarmingUp → Ready → Stopping</c>, or <c>Failed</c> when the model cannot load.</summary>
public enum ServerPhase
{
    /// <summary>The model is being loaded; jobs are queued.</summary>
    Loading,

    /// <summary>Warm-up generations run; jobs are queued.</summary>
    WarmingUp,

    /// <summary>Serving.</summary>
    Ready,

    /// <summary>The model could not be loaded; new jobs are refused with 503.</summary>
    Failed,

    /// <summary>Shutting down; new jobs are refused with 503.</summary>
    Stopping,
}
