using System.Text.RegularExpressions;
using ZImageSharp.IO.Checkpoints;

namespace ZImageSharp.Pipelines.Loading;

/// <summary>
/// Transformer names: ComfyUI (Lumina-2 style) → diffusers, per spec 6.2. Diffusers names pass unchanged, so one pass
/// handles either convention (and refuses a file that holds both names for one tensor).
/// </summary>
internal static partial class TransformerNames
{
    /// <summary>The prefix ComfyUI files may carry (from the full ComfyUI model's state dict).</summary>
    public const string ComfyPrefix = "model.diffusion_model.";

    // Z-Image has one patch embedder, patch 2 / frame patch 1: diffusers keys it "2-1" (ComfyUI's converter writes the same).
    private const string PatchKey = "2-1";

    /// <summary>Maps every stored name of <paramref name="source"/>.</summary>
    public static NameMapping Map(ITensorSource source)
    {
        var mapping = new NameMappingBuilder(source.SourcePath);
        foreach (string stored in source.Names)
        {
            string name = stored.StartsWith(ComfyPrefix, StringComparison.Ordinal) ? stored[ComfyPrefix.Length..] : stored;
            mapping.Converted |= name.Length != stored.Length;
            if (DiffusersName().IsMatch(name))
            {
                mapping.Add(name, stored);
            }
            else if (!TryMapComfy(name, stored, mapping))
            {
                mapping.Unexpected(stored, name);
            }
        }

        return mapping.Build(CheckpointFormat.ComfyUI);
    }

    private static bool TryMapComfy(string name, string stored, NameMappingBuilder mapping)
    {
        Match match;
        if (name == "norm_final.weight")
        {
            mapping.Skip(stored, "Lumina-2 leftover that ComfyUI never uses: Z-Image's final LayerNorm has no weights");
        }
        else if ((match = XEmbedder().Match(name)).Success)
        {
            mapping.Add($"all_x_embedder.{PatchKey}.{match.Groups[1].Value}", stored);
        }
        else if ((match = FinalLayer().Match(name)).Success)
        {
            mapping.Add($"all_final_layer.{PatchKey}.{match.Groups[1].Value}", stored);
        }
        else if ((match = FusedQkv().Match(name)).Success)
        {
            // Fused rows are [q; k; v] (torch.chunk(3, dim=0) in the converters).
            string block = match.Groups[1].Value;
            mapping.Add($"{block}.attention.to_q.weight", stored, TensorTransform.Chunk(0, 3));
            mapping.Add($"{block}.attention.to_k.weight", stored, TensorTransform.Chunk(1, 3));
            mapping.Add($"{block}.attention.to_v.weight", stored, TensorTransform.Chunk(2, 3));
        }
        else if ((match = AttentionOut().Match(name)).Success)
        {
            mapping.Add($"{match.Groups[1].Value}.attention.to_out.0.weight", stored);
        }
        else if ((match = QkNorm().Match(name)).Success)
        {
            mapping.Add($"{match.Groups[1].Value}.attention.norm_{match.Groups[2].Value}.weight", stored);
        }
        else
        {
            return false;
        }

        mapping.Converted = true;
        return true;
    }

    /// <summary>Every name of the diffusers <c>ZImageTransformer2DModel</c> state dict (spec 2.2).</summary>
    [GeneratedRegex(@"^(?:x_pad_token|cap_pad_token|all_x_embedder\.\d+-\d+\.(?:weight|bias)|all_final_layer\.\d+-\d+\.(?:linear|adaLN_modulation\.1)\.(?:weight|bias)|t_embedder\.mlp\.[02]\.(?:weight|bias)|cap_embedder\.0\.weight|cap_embedder\.1\.(?:weight|bias)|(?:layers|noise_refiner|context_refiner)\.\d+\.(?:attention\.(?:to_q|to_k|to_v|to_out\.0|norm_q|norm_k)\.weight|feed_forward\.w[123]\.weight|(?:attention_norm[12]|ffn_norm[12])\.weight|adaLN_modulation\.0\.(?:weight|bias)))$", RegexOptions.CultureInvariant)]
    private static partial Regex DiffusersName();

    [GeneratedRegex(@"^x_embedder\.(weight|bias)$", RegexOptions.CultureInvariant)]
    private static partial Regex XEmbedder();

    [GeneratedRegex(@"^final_layer\.((?:linear|adaLN_modulation\.1)\.(?:weight|bias))$", RegexOptions.CultureInvariant)]
    private static partial Regex FinalLayer();

    [GeneratedRegex(@"^((?:layers|noise_refiner|context_refiner)\.\d+)\.attention\.qkv\.weight$", RegexOptions.CultureInvariant)]
    private static partial Regex FusedQkv();

    [GeneratedRegex(@"^((?:layers|noise_refiner|context_refiner)\.\d+)\.attention\.out\.weight$", RegexOptions.CultureInvariant)]
    private static partial Regex AttentionOut();

    [GeneratedRegex(@"^((?:layers|noise_refiner|context_refiner)\.\d+)\.attention\.(q|k)_norm\.weight$", RegexOptions.CultureInvariant)]
    private static partial Regex QkNorm();
}
