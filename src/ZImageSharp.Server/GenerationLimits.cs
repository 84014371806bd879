namespace ZImageSharp.Server;

/// <summary>What the HTTP API accepts. The defaults are the documented limits; tests may lower the minimum size only.</summary>
public sealed record GenerationLimits
{
    /// <summary>Smallest width and height in pixels.</summary>
    public int MinSize { get; init; } = 256;

    /// <summary>Largest width and height in pixels.</summary>
    public int MaxSize { get; init; } = 2048;

    /// <summary>Width and height must be multiples of this (VAE scale 8 × patch size 2).</summary>
    public int SizeMultiple { get; init; } = 16;

    /// <summary>Most denoising steps per request.</summary>
    public int MaxSteps { get; init; } = 100;

    /// <summary>Most images per request.</summary>
    public int MaxCount { get; init; } = 8;

    /// <summary>Longest prompt (and negative prompt), in UTF-8 bytes.</summary>
    public int MaxPromptBytes { get; init; } = 8 * 1024;

    /// <summary>Largest guidance scale (Z-Image-Turbo uses 0, the base model about 4).</summary>
    public double MaxGuidance { get; init; } = 50;

    /// <summary>Largest request body, in bytes (two maximal prompts, fully \u-escaped, fit).</summary>
    public int MaxBodyBytes { get; init; } = 64 * 1024;
}
