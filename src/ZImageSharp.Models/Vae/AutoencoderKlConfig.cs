using System.Globalization;
using System.Text;

namespace ZImageSharp.Models.Vae;

/// <summary>
/// The configuration of a diffusers <c>AutoencoderKL</c> (<c>vae/config.json</c>) restricted to what the Flux VAE
/// uses: <c>DownEncoderBlock2D</c>/<c>UpDecoderBlock2D</c> levels, SiLU, mid-block attention, no quant convs.
/// </summary>
/// <remarks>Equality and <see cref="object.ToString"/> cover every field, the channel list by value.</remarks>
public sealed record AutoencoderKlConfig
{
    /// <summary>Epsilon of every GroupNorm in the encoder and decoder (diffusers hard-codes 1e-6; not a config field).</summary>
    public const float GroupNormEps = 1e-6f;

    private const string DownBlockType = "DownEncoderBlock2D";
    private const string UpBlockType = "UpDecoderBlock2D";

    private static readonly string[] QuantConvFields = ["use_quant_conv", "use_post_quant_conv"];

    /// <summary>Image channels read by the encoder (3).</summary>
    public int InChannels { get; init; } = 3;

    /// <summary>Image channels written by the decoder (3).</summary>
    public int OutChannels { get; init; } = 3;

    /// <summary>Latent channels (16 for the Flux VAE).</summary>
    public required int LatentChannels { get; init; }

    /// <summary>Channels of each resolution level, finest first ([128, 256, 512, 512]).</summary>
    public required IReadOnlyList<int> BlockOutChannels { get; init; }

    /// <summary>Resnets per encoder level; the decoder has one more per level (2).</summary>
    public required int LayersPerBlock { get; init; }

    /// <summary>GroupNorm groups everywhere (32).</summary>
    public required int NormNumGroups { get; init; }

    /// <summary>Latents are divided by this before decoding (0.3611).</summary>
    public required float ScalingFactor { get; init; }

    /// <summary>Added after the division (0.1159; 0 when the config has none).</summary>
    public float ShiftFactor { get; init; }

    /// <summary>Whether the mid blocks have their attention layer (true).</summary>
    public bool MidBlockAddAttention { get; init; } = true;

    /// <summary>Number of resolution levels.</summary>
    public int Levels => BlockOutChannels.Count;

    /// <summary>Pixels per latent along each axis: 2^(levels − 1) (8 for the Flux VAE; diffusers' <c>vae_scale_factor</c>).</summary>
    public int ScaleFactor => 1 << (Levels - 1);

    /// <summary>The Flux / Z-Image VAE (spec 4.1), for checkpoints that come without a config (ComfyUI <c>ae.safetensors</c>).</summary>
    public static AutoencoderKlConfig Flux { get; } = new()
    {
        LatentChannels = 16,
        BlockOutChannels = [128, 256, 512, 512],
        LayersPerBlock = 2,
        NormNumGroups = 32,
        ScalingFactor = 0.3611f,
        ShiftFactor = 0.1159f,
    };

    /// <summary>Reads a config.json, checking every value the model depends on.</summary>
    /// <exception cref="ConfigException">Naming the file and the field.</exception>
    /// <exception cref="NotSupportedException">When <c>use_quant_conv</c> or <c>use_post_quant_conv</c> is true (absent means true, as in diffusers).</exception>
    public static AutoencoderKlConfig Load(string path) => From(ConfigReader.Load(path));

    /// <summary>Parses config.json text; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="ConfigException">Naming the source and the field.</exception>
    /// <exception cref="NotSupportedException">When <c>use_quant_conv</c> or <c>use_post_quant_conv</c> is true.</exception>
    public static AutoencoderKlConfig Parse(string json, string source) => From(ConfigReader.Parse(json, source));

    /// <inheritdoc/>
    public bool Equals(AutoencoderKlConfig? other) =>
        other is not null && InChannels == other.InChannels && OutChannels == other.OutChannels &&
        LatentChannels == other.LatentChannels && BlockOutChannels.SequenceEqual(other.BlockOutChannels) &&
        LayersPerBlock == other.LayersPerBlock && NormNumGroups == other.NormNumGroups &&
        ScalingFactor.Equals(other.ScalingFactor) && ShiftFactor.Equals(other.ShiftFactor) &&
        MidBlockAddAttention == other.MidBlockAddAttention;

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(LatentChannels);
        foreach (int c in BlockOutChannels)
        {
            hash.Add(c);
        }

        hash.Add(LayersPerBlock);
        hash.Add(ScalingFactor);
        return hash.ToHashCode();
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"InChannels = {InChannels}, OutChannels = {OutChannels}, LatentChannels = {LatentChannels}, ");
        builder.Append(CultureInfo.InvariantCulture, $"BlockOutChannels = [{string.Join(", ", BlockOutChannels)}], LayersPerBlock = {LayersPerBlock}, ");
        builder.Append(CultureInfo.InvariantCulture, $"NormNumGroups = {NormNumGroups}, ScalingFactor = {ScalingFactor}, ShiftFactor = {ShiftFactor}, ");
        builder.Append(CultureInfo.InvariantCulture, $"MidBlockAddAttention = {MidBlockAddAttention}");
        return true;
    }

    private static AutoencoderKlConfig From(ConfigReader c)
    {
        // diffusers defaults both flags to true; the Flux VAE has neither conv, and silently dropping them would be wrong.
        string[] quant = [.. QuantConvFields.Where(f => c.Bool(f, true))];
        if (quant.Length > 0)
        {
            throw new NotSupportedException($"{c.Source}: {string.Join(" and ", quant)} true (or absent, which diffusers reads as true) is not supported; only VAEs without quant convs (the Flux VAE) are.");
        }

        string act = c.String("act_fn") ?? "silu";
        if (act != "silu")
        {
            throw new ConfigException(c.Source, $"field 'act_fn' is '{act}'; only silu is supported.");
        }

        int[] channels = c.IntArray("block_out_channels");
        if (channels.Length == 0 || channels.Any(ch => ch <= 0))
        {
            throw new ConfigException(c.Source, $"field 'block_out_channels' must list at least one positive width, found [{string.Join(", ", channels)}].");
        }

        CheckBlockTypes(c, "down_block_types", DownBlockType, channels.Length);
        CheckBlockTypes(c, "up_block_types", UpBlockType, channels.Length);
        var config = new AutoencoderKlConfig
        {
            InChannels = c.PositiveInt("in_channels", 3),
            OutChannels = c.PositiveInt("out_channels", 3),
            LatentChannels = c.PositiveInt("latent_channels"),
            BlockOutChannels = channels,
            LayersPerBlock = c.PositiveInt("layers_per_block"),
            NormNumGroups = c.PositiveInt("norm_num_groups"),
            ScalingFactor = (float)c.Double("scaling_factor"),
            ShiftFactor = (float)c.Double("shift_factor", 0.0),
            MidBlockAddAttention = c.Bool("mid_block_add_attention", true),
        };

        if (!(config.ScalingFactor > 0) || !float.IsFinite(config.ScalingFactor))
        {
            throw new ConfigException(c.Source, $"field 'scaling_factor' must be a positive number, found {config.ScalingFactor}.");
        }

        if (!float.IsFinite(config.ShiftFactor))
        {
            throw new ConfigException(c.Source, $"field 'shift_factor' must be finite, found {config.ShiftFactor}.");
        }

        if (channels.FirstOrDefault(ch => ch % config.NormNumGroups != 0) is int bad and > 0)
        {
            throw new ConfigException(c.Source, $"field 'norm_num_groups' ({config.NormNumGroups}) does not divide block_out_channels entry {bad}.");
        }

        return config;
    }

    private static void CheckBlockTypes(ConfigReader c, string field, string expected, int levels)
    {
        string[] types = c.StringArray(field);
        if (types.Length != levels)
        {
            throw new ConfigException(c.Source, $"field '{field}' has {types.Length} entries; block_out_channels has {levels}.");
        }

        if (types.FirstOrDefault(t => t != expected) is string other)
        {
            throw new ConfigException(c.Source, $"field '{field}' holds '{other}'; only {expected} is supported.");
        }
    }
}
