namespace ZImageSharp.Server.Jobs;

/// <summary>One Server-Sent Event of a job: its sequence number (the SSE <c>id</c>), type and JSON data.</summary>
/// <param name="Sequence">0-based position in the job's event history (clients resume with Last-Event-ID).</param>
/// <param name="Type">queued, started, stage, step, done, failed or cancelled.</param>
/// <param name="Data">The JSON payload, one line.</param>
public sealed record JobEvent(int Sequence, string Type, string Data)
{
    /// <summary>True for the event that ends a job's stream.</summary>
    public bool IsFinal => Type is "done" or "failed" or "cancelled";
}
