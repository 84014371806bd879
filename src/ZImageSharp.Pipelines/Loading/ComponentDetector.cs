using System.Text.RegularExpressions;
using ZImageSharp.IO.Checkpoints;

namespace ZImageSharp.Pipelines.Loading;

/// <summary>
/// Tells which Z-Image component a checkpoint holds from its tensor names alone (spec 6.2 detection keys), in either
/// naming convention: a file's folder or file name is never trusted for this.
/// </summary>
internal static partial class ComponentDetector
{
    private static readonly string[] TransformerPrefixes = ["", TransformerNames.ComfyPrefix];
    private static readonly string[] TextEncoderPrefixes = ["", TextEncoderNames.ModelPrefix];
    private static readonly string[] VaePrefixes = ["", .. VaeNames.Prefixes];

    // ComfyUI's and diffusers' names of the first refiner block's query/key norms.
    private static readonly string[] QkNorms = ["k_norm", "q_norm", "norm_k", "norm_q"];

    /// <summary>What each kind is recognised by, for messages.</summary>
    public static string Signature(ZImageComponentKind kind) => kind switch
    {
        ZImageComponentKind.Transformer => "cap_embedder.1.weight and noise_refiner.0.attention.{k_norm|q_norm|norm_k|norm_q}.weight, optionally under model.diffusion_model.",
        ZImageComponentKind.TextEncoder => "embed_tokens.weight and layers.N.self_attn.q_norm.weight, optionally under model.",
        ZImageComponentKind.Vae => "decoder.conv_in.weight and decoder.mid.attn_1.* (BFL) or decoder.mid_block.* (diffusers), optionally under first_stage_model. or vae.",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The component <paramref name="source"/> holds, or null when it is none of them.</summary>
    public static ZImageComponentKind? Detect(ITensorSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (IsTransformer(source))
        {
            return ZImageComponentKind.Transformer;
        }

        if (IsTextEncoder(source))
        {
            return ZImageComponentKind.TextEncoder;
        }

        return IsVae(source) ? ZImageComponentKind.Vae : null;
    }

    private static bool IsTransformer(ITensorSource source) =>
        TransformerPrefixes.Any(p =>
            Has(source, p + "cap_embedder.1.weight")
            && QkNorms.Any(n => Has(source, $"{p}noise_refiner.0.attention.{n}.weight")));

    private static bool IsTextEncoder(ITensorSource source) =>
        TextEncoderPrefixes.Any(p =>
            Has(source, p + "embed_tokens.weight")
            && source.Names.Any(n => n.StartsWith(p, StringComparison.Ordinal) && QNorm().IsMatch(n.AsSpan(p.Length))));

    private static bool IsVae(ITensorSource source) =>
        VaePrefixes.Any(p =>
            Has(source, p + "decoder.conv_in.weight")
            && source.Names.Any(n => n.StartsWith(p + "decoder.mid.attn_1.", StringComparison.Ordinal) || n.StartsWith(p + "decoder.mid_block.", StringComparison.Ordinal)));

    private static bool Has(ITensorSource source, string name) => source.TryGetInfo(name, out _);

    [GeneratedRegex(@"^layers\.\d+\.self_attn\.q_norm\.weight$", RegexOptions.CultureInvariant)]
    private static partial Regex QNorm();
}
