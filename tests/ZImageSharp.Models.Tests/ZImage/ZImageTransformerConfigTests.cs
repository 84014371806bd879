using System.Text.Json;
using System.Text.Json.Nodes;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.Models.ZImage;
using ZImageSharp.Testing;

namespace ZImageSharp.Models.Tests.ZImage;

/// <summary>transformer/config.json parsing, validation messages, derived sizes and the Turbo preset.</summary>
public sealed class ZImageTransformerConfigTests
{
    [Fact]
    public void FixtureConfig_DerivedSizes_MatchTheCheckpointShapes()
    {
        ZImageTransformerConfig config = ZImageTransformerConfig.Load(DitTiny.Path("config.json"));
        using SafetensorsFile weights = SafetensorsFile.Open(DitTiny.Path("model.safetensors"));
        Assert.Equal(config.AxesDims.Sum(), config.HeadDim);
        Assert.Equal(weights.Info("layers.0.feed_forward.w1.weight").Dims[0], config.FfnHidden);
        Assert.Equal(weights.Info("t_embedder.mlp.2.weight").Dims[0], config.AdaLnDim);
        Assert.Equal(weights.Info($"all_x_embedder.{config.PatchKey}.weight").Dims[1], config.PatchVectorLength);
        Assert.Equal(weights.Info("layers.0.attention.norm_q.weight").Dims[0], config.HeadDim);
    }

    [Theory]
    [InlineData(128, 341)]
    [InlineData(2560, 6826)]
    [InlineData(3840, 10240)]
    public void FfnHidden_IsPythonIntOfDimOverThreeTimesEight(int dim, int expected)
    {
        ZImageTransformerConfig config = ZImageTransformerConfig.Turbo with { Dim = dim };
        Assert.Equal(expected, config.FfnHidden);
    }

    [Fact]
    public void Turbo_EqualsTheManifestConfig_AndItsShapes()
    {
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("manifests", "transformer.json")));
        ZImageTransformerConfig parsed = ZImageTransformerConfig.Parse(manifest.RootElement.GetProperty("config").GetRawText(), "manifest config");
        ZImageTransformerConfig turbo = ZImageTransformerConfig.Turbo;
        turbo.Validate("Turbo");
        Assert.Equal(parsed.AllPatchSize, turbo.AllPatchSize);
        Assert.Equal(parsed.AllFPatchSize, turbo.AllFPatchSize);
        Assert.Equal(parsed.AxesDims, turbo.AxesDims);
        Assert.Equal(parsed.AxesLens, turbo.AxesLens);
        Assert.Equal(parsed with { AllPatchSize = turbo.AllPatchSize, AllFPatchSize = turbo.AllFPatchSize, AxesDims = turbo.AxesDims, AxesLens = turbo.AxesLens }, turbo);

        var shapes = manifest.RootElement.GetProperty("tensors").EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray());
        Assert.Equal(shapes["layers.0.feed_forward.w1.weight"][0], turbo.FfnHidden);
        Assert.Equal([4 * turbo.Dim, turbo.AdaLnDim], shapes["layers.0.adaLN_modulation.0.weight"].AsSpan());
        Assert.Equal(shapes["layers.0.attention.norm_k.weight"][0], turbo.HeadDim);
    }

    public static TheoryData<string, string> BrokenConfigs() => new()
    {
        { "remove dim", "'dim'" },
        { "axes_dims [8, 12, 11]", "'axes_dims'" },
        { "siglip_feat_dim 1152", "'siglip_feat_dim'" },
        { "all_patch_size [4]", "'all_patch_size'" },
        { "n_heads 0", "'n_heads'" },
        { "norm_eps \"x\"", "'norm_eps'" },
    };

    [Theory]
    [MemberData(nameof(BrokenConfigs))]
    public void BrokenConfig_NamesTheSourceAndTheField(string change, string field)
    {
        JsonObject json = JsonNode.Parse(File.ReadAllText(DitTiny.Path("config.json")))!.AsObject();
        string key = change.Split(' ')[0];
        if (key == "remove")
        {
            json.Remove(change.Split(' ')[1]);
        }
        else
        {
            json[key] = JsonNode.Parse(change[(key.Length + 1)..]);
        }

        var e = Assert.Throws<ConfigException>(() => ZImageTransformerConfig.Parse(json.ToJsonString(), "transformer/config.json"));
        Assert.Contains("transformer/config.json", e.Message);
        Assert.Contains(field, e.Message);
    }
}
