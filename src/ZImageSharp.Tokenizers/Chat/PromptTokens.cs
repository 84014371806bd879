namespace ZImageSharp.Tokenizers;

/// <summary>The token ids of one prompt as the text encoder sees them, and whether truncation cut it.</summary>
/// <param name="Ids">The ids after truncation (template included).</param>
/// <param name="FullLength">How many ids the templated prompt had before truncation.</param>
public sealed record PromptTokens(int[] Ids, int FullLength)
{
    /// <summary>Number of valid (non-padding) tokens.</summary>
    public int Length => Ids.Length;

    /// <summary>True when the prompt was longer than the maximum and its end was cut off.</summary>
    public bool Truncated => FullLength > Ids.Length;

    /// <summary>How many ids were cut off the end.</summary>
    public int DroppedTokens => FullLength - Ids.Length;
}
