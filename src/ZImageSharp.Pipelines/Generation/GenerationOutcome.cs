namespace ZImageSharp.Pipelines;

/// <summary>
/// One request's part of a batch (<see cref="ZImagePipeline.GenerateBatchAsync"/>): its result, or why it alone failed.
/// A request that fails (e.g. <see cref="NonFiniteLatentsException"/>) does not fail the others of its batch.
/// </summary>
/// <param name="Result">The images and how they were made; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why this request made no image; null on success.</param>
public sealed record GenerationOutcome(GenerationResult? Result, Exception? Error)
{
    /// <summary>True when the request produced its images.</summary>
    public bool Succeeded => Result is not null;
}
