using System.Text.Json;
using System.Text.Json.Nodes;
using ZImageSharp.Models.Vae;
using ZImageSharp.Testing;

namespace ZImageSharp.Models.Tests.Vae;

/// <summary>vae/config.json parsing: the fixture's values, the Flux preset, and errors that name the field.</summary>
public sealed class AutoencoderKlConfigTests
{
    private const string Source = "vae/config.json";

    [Fact]
    public void Load_Fixture_ReadsEveryField()
    {
        AutoencoderKlConfig config = AutoencoderKlConfig.Load(Fixtures.Path("vae-tiny", "config.json"));
        JsonNode json = FixtureJson();
        int[] channels = json["block_out_channels"]!.AsArray().Select(n => n!.GetValue<int>()).ToArray();
        Assert.Equal(channels, config.BlockOutChannels);
        Assert.Equal(json["latent_channels"]!.GetValue<int>(), config.LatentChannels);
        Assert.Equal(json["in_channels"]!.GetValue<int>(), config.InChannels);
        Assert.Equal(json["out_channels"]!.GetValue<int>(), config.OutChannels);
        Assert.Equal(json["layers_per_block"]!.GetValue<int>(), config.LayersPerBlock);
        Assert.Equal(json["norm_num_groups"]!.GetValue<int>(), config.NormNumGroups);
        Assert.Equal((float)json["scaling_factor"]!.GetValue<double>(), config.ScalingFactor);
        Assert.Equal((float)(json["shift_factor"]?.GetValue<double>() ?? 0), config.ShiftFactor);
        Assert.Equal(1 << (channels.Length - 1), config.ScaleFactor);
    }

    [Fact]
    public void Flux_EqualsTheRealCheckpointConfig()
    {
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("manifests", "vae.json")));
        AutoencoderKlConfig real = AutoencoderKlConfig.Parse(manifest.RootElement.GetProperty("config").GetRawText(), "manifests/vae.json");
        Assert.Equal(AutoencoderKlConfig.Flux, real);
        Assert.Equal(8, AutoencoderKlConfig.Flux.ScaleFactor);
        Assert.Equal(3, AutoencoderKlConfig.Flux.InChannels);
        Assert.True(AutoencoderKlConfig.Flux.MidBlockAddAttention);
    }

    [Fact]
    public void EqualityAndText_CoverTheChannelList()
    {
        AutoencoderKlConfig copy = AutoencoderKlConfig.Flux with { BlockOutChannels = [128, 256, 512, 512] };
        Assert.Equal(AutoencoderKlConfig.Flux, copy);
        Assert.Equal(AutoencoderKlConfig.Flux.GetHashCode(), copy.GetHashCode());
        Assert.NotEqual(AutoencoderKlConfig.Flux, copy with { BlockOutChannels = [128, 256, 512] });
        Assert.Contains("BlockOutChannels = [128, 256, 512, 512]", AutoencoderKlConfig.Flux.ToString());
    }

    [Fact]
    public void ShiftFactor_NullOrAbsent_IsZero()
    {
        Assert.Equal(0f, Parse(j => j["shift_factor"] = null).ShiftFactor);
        Assert.Equal(0f, Parse(j => j.AsObject().Remove("shift_factor")).ShiftFactor);
    }

    [Theory]
    [InlineData("block_out_channels")]
    [InlineData("latent_channels")]
    [InlineData("layers_per_block")]
    [InlineData("norm_num_groups")]
    [InlineData("scaling_factor")]
    [InlineData("down_block_types")]
    [InlineData("up_block_types")]
    public void MissingField_IsNamed(string field)
    {
        var e = Assert.Throws<ConfigException>(() => Parse(j => j.AsObject().Remove(field)));
        Assert.Contains(Source, e.Message);
        Assert.Contains(field, e.Message);
    }

    [Theory]
    [InlineData("use_quant_conv")]
    [InlineData("use_post_quant_conv")]
    public void QuantConv_IsNotSupported(string field)
    {
        var e = Assert.Throws<NotSupportedException>(() => Parse(j => j[field] = true));
        Assert.Contains(field, e.Message);

        // diffusers reads an absent flag as true.
        var absent = Assert.Throws<NotSupportedException>(() => Parse(j => j.AsObject().Remove(field)));
        Assert.Contains(field, absent.Message);
    }

    [Fact]
    public void WrongValues_NameTheField()
    {
        AssertNames("down_block_types", j => j["down_block_types"]![0] = "CrossAttnDownBlock2D");
        AssertNames("up_block_types", j => j["up_block_types"]![0] = "AttnUpDecoderBlock2D");
        AssertNames("up_block_types", j => j["up_block_types"]!.AsArray().RemoveAt(0));
        AssertNames("act_fn", j => j["act_fn"] = "gelu");
        AssertNames("norm_num_groups", j => j["norm_num_groups"] = 7);
        AssertNames("scaling_factor", j => j["scaling_factor"] = 0);
        AssertNames("latent_channels", j => j["latent_channels"] = "16");
        AssertNames("block_out_channels", j => j["block_out_channels"] = new JsonArray());
    }

    private static void AssertNames(string field, Action<JsonNode> edit)
    {
        var e = Assert.Throws<ConfigException>(() => Parse(edit));
        Assert.Contains(field, e.Message);
    }

    private static AutoencoderKlConfig Parse(Action<JsonNode> edit)
    {
        JsonNode json = FixtureJson();
        edit(json);
        return AutoencoderKlConfig.Parse(json.ToJsonString(), Source);
    }

    private static JsonNode FixtureJson() => JsonNode.Parse(File.ReadAllText(Fixtures.Path("vae-tiny", "config.json")))!;
}
