namespace ZImageSharp.Pipelines.Loading;

/// <summary>The weight-bearing parts of a Z-Image checkpoint.</summary>
public enum ZImageComponentKind
{
    /// <summary>The S3-DiT denoiser (<c>ZImageTransformer2DModel</c>).</summary>
    Transformer,

    /// <summary>The Qwen3-4B text encoder (<c>Qwen3Model</c>).</summary>
    TextEncoder,

    /// <summary>The Flux VAE (<c>AutoencoderKL</c>).</summary>
    Vae,
}

/// <summary>Names of <see cref="ZImageComponentKind"/> values.</summary>
public static class ZImageComponentKinds
{
    /// <summary>The three kinds in pipeline order.</summary>
    public static IReadOnlyList<ZImageComponentKind> All { get; } = [ZImageComponentKind.Transformer, ZImageComponentKind.TextEncoder, ZImageComponentKind.Vae];

    /// <summary>The diffusers folder (and <c>model_index.json</c> key) of the component: <c>transformer</c>, <c>text_encoder</c>, <c>vae</c>.</summary>
    public static string FolderName(this ZImageComponentKind kind) => kind switch
    {
        ZImageComponentKind.Transformer => "transformer",
        ZImageComponentKind.TextEncoder => "text_encoder",
        ZImageComponentKind.Vae => "vae",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Words for messages: <c>transformer</c>, <c>text encoder</c>, <c>VAE</c>.</summary>
    public static string Description(this ZImageComponentKind kind) => kind switch
    {
        ZImageComponentKind.Transformer => "transformer",
        ZImageComponentKind.TextEncoder => "text encoder",
        ZImageComponentKind.Vae => "VAE",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
