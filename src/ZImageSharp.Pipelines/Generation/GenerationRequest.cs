namespace ZImageSharp.Pipelines;

/// <summary>What to generate. Defaults are Z-Image-Turbo's: 1024², 8 steps, no guidance.</summary>
/// <param name="Prompt">The text prompt.</param>
public sealed record GenerationRequest(string Prompt)
{
    /// <summary>Negative prompt for classifier-free guidance (used only when <see cref="GuidanceScale"/> &gt; 0; "" when null).</summary>
    public string? NegativePrompt { get; init; }

    /// <summary>Image width in pixels (a multiple of the pipeline's <see cref="ZImagePipeline.SizeMultiple"/>).</summary>
    public int Width { get; init; } = 1024;

    /// <summary>Image height in pixels (a multiple of the pipeline's <see cref="ZImagePipeline.SizeMultiple"/>).</summary>
    public int Height { get; init; } = 1024;

    /// <summary>Denoising steps = transformer forwards (8 for Turbo).</summary>
    public int Steps { get; init; } = 8;

    /// <summary>Guidance scale g (pred = pos + g·(pos − neg)); 0 disables CFG, as Turbo needs.</summary>
    public double GuidanceScale { get; init; }

    /// <summary>CFG is skipped on steps whose model time 1 − σ exceeds this (1 = never skipped).</summary>
    public double CfgTruncation { get; init; } = 1.0;

    /// <summary>When &gt; 0, the guided prediction's L2 norm is capped at this multiple of the positive one's.</summary>
    public double CfgNormalization { get; init; }

    /// <summary>Seed of the torch-compatible CPU generator; a random one when null (reported in the result).</summary>
    public ulong? Seed { get; init; }

    /// <summary>Number of images for the prompt (one noise draw of [Count, 16, h, w], as diffusers' num_images_per_prompt).</summary>
    public int Count { get; init; } = 1;

    /// <summary>Maximum prompt length in tokens, template included (512 as the reference).</summary>
    public int MaxSequenceLength { get; init; } = 512;
}
