namespace ZImageSharp.Pipelines.Loading;

/// <summary>A stored tensor that is deliberately not presented to the model (it is not garbage: the reason says why).</summary>
/// <param name="Name">The name as stored in the file.</param>
/// <param name="Reason">Why it is not needed.</param>
public sealed record SkippedTensor(string Name, string Reason);
