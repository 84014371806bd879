namespace ZImageSharp.Server.Jobs;

/// <summary>Where a job is: <c>Queued → Running → Completed | Failed | Cancelled</c> (a queued job may be cancelled too).</summary>
public enum JobStatus
{
    /// <summary>Waiting in the queue.</summary>
    Queued,

    /// <summary>In the batch a worker is running.</summary>
    Running,

    /// <summary>Finished with its images.</summary>
    Completed,

    /// <summary>Finished without images; <see cref="GenerationJob.Error"/> says why.</summary>
    Failed,

    /// <summary>Cancelled by a client (DELETE, a dropped OpenAI call) or by shutdown.</summary>
    Cancelled,
}
