namespace ZImageSharp.IO.Weights;

/// <summary>How a model's loading matched its checkpoint.</summary>
/// <param name="Missing">Full names a required <see cref="WeightMap.Get"/> asked for but the checkpoint lacks, sorted.</param>
/// <param name="Unused">Checkpoint names under the map's prefix that nothing consumed, sorted.</param>
public sealed record WeightReport(IReadOnlyList<string> Missing, IReadOnlyList<string> Unused)
{
    /// <summary>"name: expected [..], found [..]" for each tensor whose shape differed (inspection maps only), sorted.</summary>
    public IReadOnlyList<string> Mismatched { get; init; } = [];

    /// <summary>True when nothing was missing, misshapen or unused (strict loading succeeded).</summary>
    public bool IsExact => Missing.Count == 0 && Unused.Count == 0 && Mismatched.Count == 0;
}
