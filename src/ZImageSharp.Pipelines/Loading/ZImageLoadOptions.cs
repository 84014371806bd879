using ZImageSharp.Tensors;

namespace ZImageSharp.Pipelines.Loading;

/// <summary>How to load a checkpoint: where, and in which weight dtypes (null keeps the stored dtype).</summary>
/// <param name="Backend">Where the models live and run.</param>
public sealed record ZImageLoadOptions(IBackend Backend)
{
    /// <summary>The DiT's weights; BF16 by default (the hub's F32 shards are converted tensor by tensor, halving memory).</summary>
    public DType? TransformerDType { get; init; } = DType.BF16;

    /// <summary>The text encoder's weights (stored as BF16 in every known checkpoint).</summary>
    public DType? TextEncoderDType { get; init; }

    /// <summary>The VAE's weights (activations are always f32, as the reference recommends).</summary>
    public DType? VaeDType { get; init; }

    /// <summary>Also load the VAE encoder (needed for image-to-image only).</summary>
    public bool LoadVaeEncoder { get; init; }

    /// <summary>A tokenizer.json to use instead of the checkpoint's (ComfyUI files ship none).</summary>
    public string? TokenizerPath { get; init; }
}
