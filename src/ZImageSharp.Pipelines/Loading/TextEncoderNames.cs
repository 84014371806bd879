using System.Text.RegularExpressions;
using ZImageSharp.IO.Checkpoints;

namespace ZImageSharp.Pipelines.Loading;

/// <summary>
/// Qwen3 text-encoder names are the same in both layouts (spec 3.3): presented as stored, with or without the
/// <c>model.</c> prefix (whichever <c>embed_tokens</c> has). This pass only sorts out what the encoder does not use.
/// </summary>
internal static partial class TextEncoderNames
{
    /// <summary>The prefix of Qwen3ForCausalLM checkpoints.</summary>
    public const string ModelPrefix = "model.";

    /// <summary>Maps every stored name of <paramref name="source"/>.</summary>
    public static NameMapping Map(ITensorSource source)
    {
        string prefix = source.TryGetInfo(ModelPrefix + "embed_tokens.weight", out _) ? ModelPrefix : string.Empty;
        var mapping = new NameMappingBuilder(source.SourcePath);
        foreach (string stored in source.Names)
        {
            if (stored == "lm_head.weight")
            {
                mapping.Skip(stored, "causal-LM output head: Z-Image uses hidden states only (Qwen3-4B ties it to embed_tokens)");
            }
            else if (stored.StartsWith(prefix, StringComparison.Ordinal) && QwenName().IsMatch(stored.AsSpan(prefix.Length)))
            {
                mapping.Add(stored, stored);
            }
            else
            {
                mapping.Unexpected(stored, stored);
            }
        }

        return mapping.Build(CheckpointFormat.Diffusers);
    }

    /// <summary>Every name of the transformers <c>Qwen3Model</c> state dict (no attention bias).</summary>
    [GeneratedRegex(@"^(?:embed_tokens\.weight|norm\.weight|layers\.\d+\.(?:input_layernorm|post_attention_layernorm|self_attn\.(?:q_proj|k_proj|v_proj|o_proj|q_norm|k_norm)|mlp\.(?:gate_proj|up_proj|down_proj))\.weight)$", RegexOptions.CultureInvariant)]
    private static partial Regex QwenName();
}
