using ZImageSharp.Testing.Checkpoints;
using System.Text.Json;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.IO.Tests.Support;
using ZImageSharp.Pipelines.Tests.Loading.Support;

namespace ZImageSharp.Cli.Tests.Commands;

/// <summary><c>zimage info</c> on header-only Z-Image checkpoints in the diffusers and the ComfyUI layout.</summary>
public sealed class InfoZImageTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Info_DiffusersFolder_ListsTheFilesThenEachComponentUnderDiffusersNames()
    {
        string root = TestCheckpoints.WriteDiffusers(_dir.File("Z-Image-Turbo"));
        CliRun run = CliRun.Of("info", root);
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        Assert.StartsWith($"text_encoder (Qwen3Model): {Path.Combine(root, "text_encoder", "model.safetensors.index.json")} (shard index, 3 shards)\n", run.Stdout);
        Assert.Contains("totals: 521 tensors, 6,154,908,736 parameters, 24,619,634,944 bytes (22.93 GiB)\n", run.Stdout);
        Assert.Contains("all 3 components:\ntotals: 1,163 tensors, 10,261,196,515 parameters", run.Stdout);
        Assert.Contains($"\nz-image checkpoint, diffusers folder (ZImagePipeline): {root}\n", run.Stdout);
        Assert.Contains("\ntransformer: diffusers names; 521 tensors; F32 (521); 6,154,908,736 parameters\n", run.Stdout);
        Assert.Contains($"  config: {Path.Combine(root, "transformer", "config.json")}\n", run.Stdout);
        Assert.Contains("\ntext_encoder: diffusers names; 398 tensors; BF16 (398); 4,022,468,096 parameters\n", run.Stdout);
        Assert.Contains("\nvae: diffusers names; 244 tensors; BF16 (244); 83,819,683 parameters\n", run.Stdout);
        Assert.Contains($"\ntokenizer: {Path.Combine(root, "tokenizer", "tokenizer.json")}\n", run.Stdout);
        Assert.DoesNotContain("MISSING", run.Stdout);
        Assert.Equal(3, CountOf(run.Stdout, "  model check: complete"));
        Assert.EndsWith("\nz-image totals: 3 of 3 components, 1,163 tensors, 10,261,196,515 parameters\n", run.Stdout);
    }

    [Fact]
    public void Info_ComfyFolder_ShowsTheMappingTheSkippedNormFinalAndTheManifestTotals()
    {
        string root = TestCheckpoints.WriteComfy(_dir.File("models"));
        CliRun run = CliRun.Of("info", root);
        Assert.Equal(0, run.ExitCode);
        string transformerFile = Path.Combine(root, "diffusion_models", TestCheckpoints.ComfyTransformerFile);
        Assert.StartsWith($"transformer: {transformerFile} (safetensors file)\n", run.Stdout);
        Assert.Contains("all 3 components:\ntotals: 1,096 tensors, 10,261,200,355 parameters", run.Stdout);
        Assert.Contains($"\nz-image checkpoint, single files: {root}\n", run.Stdout);
        Assert.Contains("\ntransformer: ComfyUI names mapped to diffusers; 454 stored → 521 tensors; BF16 (521); 6,154,908,736 parameters\n", run.Stdout);
        Assert.Contains("  skipped: model.diffusion_model.norm_final.weight (Lumina-2 leftover", run.Stdout);
        Assert.Contains("  config: none (the built-in preset applies)\n", run.Stdout);
        Assert.Contains("\ntext_encoder: diffusers names; 398 tensors; BF16 (398); 4,022,468,096 parameters\n", run.Stdout);
        Assert.Contains("\nvae: BFL names mapped to diffusers; 244 tensors; F32 (244); 83,819,683 parameters\n", run.Stdout);
        Assert.Contains("scheduler: no config (the Turbo defaults apply)\n", run.Stdout);
        Assert.Equal(3, CountOf(run.Stdout, "  model check: complete"));
        Assert.EndsWith("\nz-image totals: 3 of 3 components, 1,163 tensors, 10,261,196,515 parameters\n", run.Stdout);
    }

    [Fact]
    public void Info_ModelOption_IsTheSameAsThePath()
    {
        string root = TestCheckpoints.WriteComfy(_dir.File("models"));
        CliRun byOption = CliRun.Of("info", "--model", root);
        Assert.Equal(0, byOption.ExitCode);
        Assert.Equal(CliRun.Of("info", root).Stdout, byOption.Stdout);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Info_PathAndModelBothOrNeither_IsAUsageError(bool both)
    {
        CliRun run = both ? CliRun.Of("info", _dir.Path, "--model", _dir.Path) : CliRun.Of("info", "--json");
        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.StderrLines);
        Assert.Contains(both ? "not both" : "PATH (or --model DIR)", line);
    }

    [Fact]
    public void Info_ComfyFolderWithoutVaeAndTokenizer_ReportsBothAndStillExits0()
    {
        string root = TestCheckpoints.WriteComfy(_dir.File("models"), tokenizerFolder: null);
        File.Delete(Path.Combine(root, "vae", TestCheckpoints.BflVaeFile));
        CliRun run = CliRun.Of("info", root);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"\nvae: MISSING: {root}: no Z-Image VAE among the .safetensors files and shard indexes in {root}, ", run.Stdout);
        Assert.Contains("(one has decoder.conv_in.weight and decoder.mid.attn_1.* (BFL) or decoder.mid_block.* (diffusers), optionally under first_stage_model. or vae.).\n", run.Stdout);
        Assert.Contains($"\ntokenizer: not found (looked for {Path.Combine(root, "tokenizer.json")}, ", run.Stdout);
        Assert.EndsWith("\nz-image totals: 2 of 3 components, 919 tensors, 10,177,376,832 parameters\n", run.Stdout);
    }

    [Fact]
    public void Info_ComfyFolderWithTwoVaes_PrintsOneErrorLineAndExits2()
    {
        string root = TestCheckpoints.WriteComfy(_dir.File("models"));
        SparseSafetensors.Write(Path.Combine(root, "vae", "other_ae.safetensors"), TestCheckpoints.BflVae());
        CliRun run = CliRun.Of("info", root);
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        string line = Assert.Single(run.StderrLines);
        Assert.StartsWith($"zimage: error: {root}: 2 files hold a Z-Image VAE (", line);
        Assert.EndsWith("); keep one, or name the files to use.", line);
    }

    [Fact]
    public void Info_OneComfyFile_AddsItsComponentOnly()
    {
        string root = TestCheckpoints.WriteComfy(_dir.File("models"));
        string ae = Path.Combine(root, "vae", TestCheckpoints.BflVaeFile);
        CliRun run = CliRun.Of("info", ae);
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith($"{ae} (safetensors file)\n", run.Stdout);
        Assert.Contains($"\nz-image checkpoint, single file: {ae}\nvae: BFL names mapped to diffusers; 244 tensors; F32 (244); 83,819,683 parameters\n", run.Stdout);
        Assert.DoesNotContain("MISSING", run.Stdout);
        Assert.DoesNotContain("tokenizer:", run.Stdout);
    }

    [Fact]
    public void Info_ComfyFolderJson_CarriesTheZImageObject()
    {
        string root = TestCheckpoints.WriteComfy(_dir.File("models"));
        CliRun run = CliRun.Of("info", root, "--json");
        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(3, json.RootElement.GetProperty("components").GetArrayLength());
        JsonElement zimage = json.RootElement.GetProperty("zimage");
        Assert.Equal("single_files", zimage.GetProperty("layout").GetString());
        JsonElement transformer = zimage.GetProperty("components")[0];
        Assert.Equal("transformer", transformer.GetProperty("kind").GetString());
        Assert.Equal("ComfyUI", transformer.GetProperty("format").GetString());
        Assert.Equal(454, transformer.GetProperty("stored_tensors").GetInt32());
        Assert.Equal(521, transformer.GetProperty("totals").GetProperty("tensors").GetInt32());
        Assert.Equal(6_154_908_736, transformer.GetProperty("totals").GetProperty("parameters").GetInt64());
        Assert.Equal("model.diffusion_model.norm_final.weight", transformer.GetProperty("skipped")[0].GetProperty("name").GetString());
        Assert.Equal("Bfl", zimage.GetProperty("components")[2].GetProperty("format").GetString());
        Assert.Equal(10_261_196_515, zimage.GetProperty("totals").GetProperty("parameters").GetInt64());
        Assert.Equal(0, zimage.GetProperty("problems").GetArrayLength());
        Assert.True(transformer.GetProperty("model_check").GetProperty("complete").GetBoolean());
    }

    [Fact]
    public void Info_TextEncoderWithoutOneTensorAndAnExtraOne_NamesBothInTheModelCheck()
    {
        string root = TestCheckpoints.WriteComfy(_dir.File("models"));
        string file = Path.Combine(root, "text_encoders", TestCheckpoints.ComfyTextEncoderFile);
        SparseSafetensors.Write(file, Manifest.TextEncoder.As(SafetensorsDType.BF16)
            .Where(t => t.Name != "model.layers.7.mlp.up_proj.weight")
            .Append(new ManifestTensor("model.layers.7.mlp.extra.weight", [4], SafetensorsDType.BF16)));
        CliRun run = CliRun.Of("info", root);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\n  missing: 1 (model.layers.7.mlp.up_proj.weight)\n", run.Stdout);
        Assert.Contains("\n  unused by the model: 1 (model.layers.7.mlp.extra.weight)\n", run.Stdout);
        Assert.Equal(2, CountOf(run.Stdout, "  model check: complete"));
    }

    private static int CountOf(string text, string part) => text.Split(part).Length - 1;

    [Fact]
    public void Info_NonZImageDiffusersFolder_HasNoZImageSection()
    {
        File.WriteAllText(_dir.File("model_index.json"), "{\"_class_name\":\"FluxPipeline\",\"vae\":[\"diffusers\",\"AutoencoderKL\"]}");
        Directory.CreateDirectory(_dir.File("vae"));
        File.Copy(ZImageSharp.Testing.Fixtures.Path("vae-tiny", "model.safetensors"), Path.Combine(_dir.File("vae"), "diffusion_pytorch_model.safetensors"));
        CliRun run = CliRun.Of("info", _dir.Path);
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("vae (AutoencoderKL): ", run.Stdout);
        Assert.DoesNotContain("z-image", run.Stdout);
    }
}
