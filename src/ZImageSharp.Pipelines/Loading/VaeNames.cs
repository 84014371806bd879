using System.Globalization;
using System.Text.RegularExpressions;
using ZImageSharp.IO.Checkpoints;

namespace ZImageSharp.Pipelines.Loading;

/// <summary>
/// VAE names: BFL / LDM (<c>ae.safetensors</c>) → diffusers <c>AutoencoderKL</c>, per spec 4.3 (diffusers'
/// <c>convert_ldm_vae_checkpoint</c>). Diffusers names pass unchanged. The decoder's up levels are numbered in opposite
/// directions: BFL <c>up.{j}</c> is diffusers <c>up_blocks.{n−1−j}</c>.
/// </summary>
internal static partial class VaeNames
{
    /// <summary>Prefixes LDM-style full checkpoints put on the VAE (removed, as diffusers does).</summary>
    public static IReadOnlyList<string> Prefixes { get; } = ["first_stage_model.", "vae."];

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Maps every stored name of <paramref name="source"/>.</summary>
    public static NameMapping Map(ITensorSource source)
    {
        int upLevels = 1 + source.Names.Select(n => BflUpLevel().Match(StripPrefix(n))).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, Invariant)).DefaultIfEmpty(-1).Max();
        var mapping = new NameMappingBuilder(source.SourcePath);
        foreach (string stored in source.Names)
        {
            string name = StripPrefix(stored);
            if (DiffusersName().IsMatch(name))
            {
                mapping.Add(name, stored, AttentionTransform(source, stored, name));
            }
            else if (Convert(name, upLevels) is string converted)
            {
                mapping.Converted = true;
                mapping.Add(converted, stored, AttentionTransform(source, stored, converted));
            }
            else
            {
                mapping.Unexpected(stored, name);
            }
        }

        return mapping.Build(CheckpointFormat.Bfl);
    }

    private static string StripPrefix(string name) =>
        Prefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.Ordinal)) is string p ? name[p.Length..] : name;

    // BFL attention projections are 1×1 convs [C, C, 1, 1]; diffusers' are Linear [C, C]: the same bytes.
    private static TensorTransform? AttentionTransform(ITensorSource source, string stored, string name) =>
        AttentionWeight().IsMatch(name) && source.Info(stored).Dims.Length == 4 ? TensorTransform.Conv1x1ToLinear : null;

    private static string? Convert(string name, int upLevels)
    {
        Match m;
        if ((m = NormOut().Match(name)).Success)
        {
            return $"{m.Groups[1].Value}.conv_norm_out.{m.Groups[2].Value}";
        }

        if ((m = MidBlock().Match(name)).Success)
        {
            int index = int.Parse(m.Groups[2].Value, Invariant) - 1;
            return $"{m.Groups[1].Value}.mid_block.resnets.{index}.{Resnet(m.Groups[3].Value)}.{m.Groups[4].Value}";
        }

        if ((m = MidAttention().Match(name)).Success)
        {
            string module = m.Groups[2].Value switch
            {
                "norm" => "group_norm",
                "proj_out" => "to_out.0",
                string qkv => "to_" + qkv,
            };
            return $"{m.Groups[1].Value}.mid_block.attentions.0.{module}.{m.Groups[3].Value}";
        }

        if ((m = UpBlock().Match(name)).Success)
        {
            int level = upLevels - 1 - int.Parse(m.Groups[1].Value, Invariant);
            return $"decoder.up_blocks.{level}.resnets.{m.Groups[2].Value}.{Resnet(m.Groups[3].Value)}.{m.Groups[4].Value}";
        }

        if ((m = Upsample().Match(name)).Success)
        {
            int level = upLevels - 1 - int.Parse(m.Groups[1].Value, Invariant);
            return $"decoder.up_blocks.{level}.upsamplers.0.conv.{m.Groups[2].Value}";
        }

        if ((m = DownBlock().Match(name)).Success)
        {
            return $"encoder.down_blocks.{m.Groups[1].Value}.resnets.{m.Groups[2].Value}.{Resnet(m.Groups[3].Value)}.{m.Groups[4].Value}";
        }

        return (m = Downsample().Match(name)).Success ? $"encoder.down_blocks.{m.Groups[1].Value}.downsamplers.0.conv.{m.Groups[2].Value}" : null;
    }

    private static string Resnet(string module) => module == "nin_shortcut" ? "conv_shortcut" : module;

    /// <summary>Every name of the diffusers <c>AutoencoderKL</c> state dict without quant convs (the Flux config has none).</summary>
    [GeneratedRegex(@"^(?:(?:encoder|decoder)\.(?:conv_in|conv_out|conv_norm_out|mid_block\.resnets\.\d+\.(?:norm1|conv1|norm2|conv2|conv_shortcut)|mid_block\.attentions\.0\.(?:group_norm|to_q|to_k|to_v|to_out\.0))|encoder\.down_blocks\.\d+\.(?:resnets\.\d+\.(?:norm1|conv1|norm2|conv2|conv_shortcut)|downsamplers\.0\.conv)|decoder\.up_blocks\.\d+\.(?:resnets\.\d+\.(?:norm1|conv1|norm2|conv2|conv_shortcut)|upsamplers\.0\.conv))\.(?:weight|bias)$", RegexOptions.CultureInvariant)]
    private static partial Regex DiffusersName();

    [GeneratedRegex(@"^(?:encoder|decoder)\.mid_block\.attentions\.0\.(?:to_q|to_k|to_v|to_out\.0)\.weight$", RegexOptions.CultureInvariant)]
    private static partial Regex AttentionWeight();

    [GeneratedRegex(@"^decoder\.up\.(\d+)\.", RegexOptions.CultureInvariant)]
    private static partial Regex BflUpLevel();

    [GeneratedRegex(@"^(encoder|decoder)\.norm_out\.(weight|bias)$", RegexOptions.CultureInvariant)]
    private static partial Regex NormOut();

    [GeneratedRegex(@"^(encoder|decoder)\.mid\.block_([12])\.(norm1|conv1|norm2|conv2|nin_shortcut)\.(weight|bias)$", RegexOptions.CultureInvariant)]
    private static partial Regex MidBlock();

    [GeneratedRegex(@"^(encoder|decoder)\.mid\.attn_1\.(norm|q|k|v|proj_out)\.(weight|bias)$", RegexOptions.CultureInvariant)]
    private static partial Regex MidAttention();

    [GeneratedRegex(@"^decoder\.up\.(\d+)\.block\.(\d+)\.(norm1|conv1|norm2|conv2|nin_shortcut)\.(weight|bias)$", RegexOptions.CultureInvariant)]
    private static partial Regex UpBlock();

    [GeneratedRegex(@"^decoder\.up\.(\d+)\.upsample\.conv\.(weight|bias)$", RegexOptions.CultureInvariant)]
    private static partial Regex Upsample();

    [GeneratedRegex(@"^encoder\.down\.(\d+)\.block\.(\d+)\.(norm1|conv1|norm2|conv2|nin_shortcut)\.(weight|bias)$", RegexOptions.CultureInvariant)]
    private static partial Regex DownBlock();

    [GeneratedRegex(@"^encoder\.down\.(\d+)\.downsample\.conv\.(weight|bias)$", RegexOptions.CultureInvariant)]
    private static partial Regex Downsample();
}
