using ZImageSharp.Testing.Checkpoints;
using ZImageSharp.IO.Checkpoints;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.Pipelines.Loading;
using ZImageSharp.Pipelines.Tests.Loading.Support;
using ZImageSharp.Testing;

namespace ZImageSharp.Pipelines.Tests.Loading;

/// <summary>Finding components, tokenizer and configs in both layouts, and the errors when something is missing or ambiguous.</summary>
public sealed class CheckpointDiscoveryTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Diffusers_FindsTokenizerSchedulerAndPipelineClass()
    {
        string root = TestCheckpoints.WriteDiffusers(_dir.Sub("m"));
        using ZImageCheckpoint checkpoint = ZImageCheckpoint.Open(root);
        Assert.Equal(CheckpointLayout.Diffusers, checkpoint.Layout);
        Assert.Equal("ZImagePipeline", checkpoint.PipelineClassName);
        Assert.Equal(Path.Combine(root, "tokenizer", "tokenizer.json"), checkpoint.RequireTokenizerPath());
        Assert.Equal(Path.Combine(root, "scheduler", "scheduler_config.json"), checkpoint.SchedulerConfigPath);
        Assert.Equal(ZImageComponentKinds.All, checkpoint.Components.Select(c => c.Kind));
        Assert.Empty(checkpoint.Problems);
        Assert.EndsWith("diffusion_pytorch_model.safetensors.index.json", checkpoint.Transformer.CheckpointPath);
    }

    [Fact]
    public void Comfy_TokenizerFolderInTheModelsRoot_IsFound()
    {
        string root = TestCheckpoints.WriteComfy(_dir.Sub("models"));
        using ZImageCheckpoint checkpoint = ZImageCheckpoint.Open(root);
        Assert.Equal(CheckpointLayout.SingleFiles, checkpoint.Layout);
        Assert.Equal(Path.Combine(root, "tokenizer", "tokenizer.json"), checkpoint.TokenizerPath);
        Assert.Null(checkpoint.SchedulerConfigPath);
        Assert.Null(checkpoint.PipelineClassName);
    }

    [Fact]
    public void Comfy_TokenizerBesideTheTextEncoder_IsFound()
    {
        string root = TestCheckpoints.WriteComfy(_dir.Sub("models"), tokenizerFolder: "text_encoders");
        using ZImageCheckpoint checkpoint = ZImageCheckpoint.Open(root);
        Assert.Equal(Path.Combine(root, "text_encoders", "tokenizer.json"), checkpoint.TokenizerPath);
    }

    [Fact]
    public void Comfy_NoTokenizer_OpensButRequiringItSaysWhereItLookedAndHowToProvideOne()
    {
        string root = TestCheckpoints.WriteComfy(_dir.Sub("models"), tokenizerFolder: null);
        using ZImageCheckpoint checkpoint = ZImageCheckpoint.Open(root);
        Assert.Null(checkpoint.TokenizerPath);
        var e = Assert.Throws<CheckpointException>(checkpoint.RequireTokenizerPath);
        Assert.Contains(Path.Combine(root, "tokenizer", "tokenizer.json"), e.Message);
        Assert.Contains(Path.Combine(root, "text_encoders", "tokenizer", "tokenizer.json"), e.Message);
        Assert.Contains("copy tokenizer/tokenizer.json of the Tongyi-MAI/Z-Image-Turbo repository", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void ExplicitTokenizer_WinsAndMustExist()
    {
        string root = TestCheckpoints.WriteComfy(_dir.Sub("models"), tokenizerFolder: null);
        string tokenizer = Fixtures.Path("tokenizer", "tokenizer.json");
        using (ZImageCheckpoint checkpoint = ZImageCheckpoint.Open(root, tokenizer))
        {
            Assert.Equal(tokenizer, checkpoint.RequireTokenizerPath());
        }

        var e = Assert.Throws<CheckpointException>(() => ZImageCheckpoint.Open(root, _dir.Sub("nope.json")));
        Assert.Contains("no such tokenizer file", e.Message);
    }

    [Fact]
    public void Comfy_FlatFolderOfFiles_IsFoundAndOtherModelsAreIgnored()
    {
        string root = Directory.CreateDirectory(_dir.Sub("flat")).FullName;
        SparseSafetensors.Write(Path.Combine(root, "z.safetensors"), TestCheckpoints.ComfyTransformer());
        SparseSafetensors.Write(Path.Combine(root, "te.safetensors"), Manifest.TextEncoder.As(SafetensorsDType.BF16));
        SparseSafetensors.Write(Path.Combine(root, "ae.safetensors"), TestCheckpoints.BflVae());
        SparseSafetensors.Write(Path.Combine(root, "lora.safetensors"), [new ManifestTensor("lora_unet_x.alpha", [], SafetensorsDType.F32)]);
        TestCheckpoints.CopyTokenizer(root);
        using ZImageCheckpoint checkpoint = ZImageCheckpoint.Open(root);
        Assert.Equal([Path.Combine(root, "lora.safetensors")], checkpoint.IgnoredFiles);
        Assert.Equal(Path.Combine(root, "tokenizer.json"), checkpoint.TokenizerPath);
        Assert.Equal(Path.Combine(root, "ae.safetensors"), checkpoint.Vae.CheckpointPath);
    }

    [Fact]
    public void DiffusersComponentFolder_ItsShardSetIsOneComponent()
    {
        string root = TestCheckpoints.WriteDiffusers(_dir.Sub("m"));
        using ZImageCheckpoint checkpoint = ZImageCheckpoint.Inspect(Path.Combine(root, "transformer"));
        ZImageComponent transformer = Assert.Single(checkpoint.Components);
        Assert.Equal(ZImageComponentKind.Transformer, transformer.Kind);
        Assert.Equal(3, transformer.Files.Count);
        Assert.Equal(521, transformer.Source.Names.Count);
        Assert.Empty(checkpoint.IgnoredFiles);
    }

    [Fact]
    public void Comfy_MissingVae_NamesItAndTheFoldersSearched()
    {
        string root = TestCheckpoints.WriteComfy(_dir.Sub("models"));
        File.Delete(Path.Combine(root, "vae", TestCheckpoints.BflVaeFile));
        var e = Assert.Throws<CheckpointException>(() => ZImageCheckpoint.Open(root));
        Assert.StartsWith($"{root}: not a complete Z-Image checkpoint: VAE: {root}: no Z-Image VAE among the .safetensors files and shard indexes in {root}, {Path.Combine(root, "diffusion_models")}, {Path.Combine(root, "text_encoders")}, {Path.Combine(root, "vae")} (one has decoder.conv_in.weight", e.Message);

        using ZImageCheckpoint inspected = ZImageCheckpoint.Inspect(root);
        Assert.Equal([ZImageComponentKind.Transformer, ZImageComponentKind.TextEncoder], inspected.Components.Select(c => c.Kind));
        Assert.Equal(ZImageComponentKind.Vae, Assert.Single(inspected.Problems).Kind);
        Assert.Contains("no usable VAE", Assert.Throws<CheckpointException>(() => inspected.Vae).Message);
    }

    [Fact]
    public void Diffusers_MissingTextEncoderFolder_NamesIt()
    {
        string root = TestCheckpoints.WriteDiffusers(_dir.Sub("m"));
        Directory.Delete(Path.Combine(root, "text_encoder"), recursive: true);
        var e = Assert.Throws<CheckpointException>(() => ZImageCheckpoint.Open(root));
        Assert.Equal($"{root}: not a complete Z-Image checkpoint: text encoder: {Path.Combine(root, "text_encoder")}: no such folder (model_index.json lists Qwen3Model).", e.Message);
    }

    [Fact]
    public void Diffusers_WrongFileInAComponentFolder_IsReportedAsNotThatComponent()
    {
        string root = TestCheckpoints.WriteDiffusers(_dir.Sub("m"));
        string vae = Path.Combine(root, "vae", "diffusion_pytorch_model.safetensors");
        foreach (string file in Directory.GetFiles(Path.Combine(root, "transformer"), "*.safetensors*"))
        {
            File.Delete(file);
        }

        File.Copy(vae, Path.Combine(root, "transformer", "diffusion_pytorch_model.safetensors"));
        using ZImageCheckpoint inspected = ZImageCheckpoint.Inspect(root);
        ComponentProblem problem = Assert.Single(inspected.Problems);
        Assert.Equal(ZImageComponentKind.Transformer, problem.Kind);
        Assert.Contains("not those of a Z-Image transformer (they are those of a VAE)", problem.Problem);
    }

    [Fact]
    public void Comfy_TwoVaes_IsAnErrorNamingBoth()
    {
        string root = TestCheckpoints.WriteComfy(_dir.Sub("models"));
        SparseSafetensors.Write(Path.Combine(root, "vae", "flux_ae_copy.safetensors"), TestCheckpoints.BflVae());
        var e = Assert.Throws<CheckpointException>(() => ZImageCheckpoint.Open(root));
        Assert.Contains("2 files hold a Z-Image VAE", e.Message);
        Assert.Contains(TestCheckpoints.BflVaeFile, e.Message);
        Assert.Contains("flux_ae_copy.safetensors", e.Message);
    }

    [Fact]
    public void OpenFiles_TheThreeComfyFiles_OpensThem_AndRejectsAFileOfNoComponent()
    {
        string root = TestCheckpoints.WriteComfy(_dir.Sub("models"), tokenizerFolder: "text_encoders");
        string[] files =
        [
            Path.Combine(root, "vae", TestCheckpoints.BflVaeFile),
            Path.Combine(root, "diffusion_models", TestCheckpoints.ComfyTransformerFile),
            Path.Combine(root, "text_encoders", TestCheckpoints.ComfyTextEncoderFile),
        ];
        using (ZImageCheckpoint checkpoint = ZImageCheckpoint.OpenFiles(files))
        {
            Assert.Equal(ZImageComponentKinds.All, checkpoint.Components.Select(c => c.Kind));
            Assert.Equal(Path.Combine(root, "text_encoders", "tokenizer.json"), checkpoint.TokenizerPath);
        }

        string other = Path.Combine(root, "other.safetensors");
        SparseSafetensors.Write(other, [new ManifestTensor("w", [2], SafetensorsDType.F32)]);
        var e = Assert.Throws<CheckpointException>(() => ZImageCheckpoint.OpenFiles([.. files, other]));
        Assert.Equal($"{other}: the tensor names match no Z-Image component (transformer, text encoder or VAE).", e.Message);
    }

    [Fact]
    public void Comfy_UnknownTransformerTensor_IsReportedAndStillPresented()
    {
        string root = Directory.CreateDirectory(_dir.Sub("x")).FullName;
        string file = Path.Combine(root, "z.safetensors");
        SparseSafetensors.Write(file, [.. TestCheckpoints.ComfyTransformer(), new ManifestTensor("model.diffusion_model.layers.0.attention.rope.freqs", [64], SafetensorsDType.F32)]);
        using ZImageCheckpoint checkpoint = ZImageCheckpoint.Inspect(file);
        ZImageComponent transformer = Assert.Single(checkpoint.Components);
        Assert.Equal(["model.diffusion_model.layers.0.attention.rope.freqs"], transformer.Unexpected);
        Assert.True(transformer.Source.TryGetInfo("layers.0.attention.rope.freqs", out _)); // so strict loading reports it as unused
        Assert.Equal(2, checkpoint.Problems.Count);
    }

    [Fact]
    public void Comfy_TransformerHoldingBothNamesForOneTensor_IsAnError()
    {
        string file = _dir.Sub("z.safetensors");
        SparseSafetensors.Write(file, [.. TestCheckpoints.ComfyTransformer(), new ManifestTensor("all_x_embedder.2-1.bias", [3840], SafetensorsDType.BF16)]);
        var e = Assert.Throws<CheckpointException>(() => ZImageCheckpoint.Inspect(file));
        Assert.Contains("'model.diffusion_model.x_embedder.bias'", e.Message);
        Assert.Contains("maps to 'all_x_embedder.2-1.bias', which", e.Message);
    }

    [Theory]
    [InlineData("dit-tiny", ZImageComponentKind.Transformer, 101)]
    [InlineData("qwen3-tiny", ZImageComponentKind.TextEncoder, 46)]
    [InlineData("vae-tiny", ZImageComponentKind.Vae, 196)]
    public void TinyFixtures_WrittenByTheReference_AreRecognisedWithNothingUnexpected(string fixture, ZImageComponentKind kind, int tensors)
    {
        using ZImageCheckpoint checkpoint = ZImageCheckpoint.Inspect(Fixtures.Path(fixture, "model.safetensors"));
        ZImageComponent component = Assert.Single(checkpoint.Components);
        Assert.Equal(kind, component.Kind);
        Assert.Equal(CheckpointFormat.Diffusers, component.Format);
        Assert.Empty(component.Unexpected);
        Assert.Empty(component.Skipped);
        Assert.Equal(tensors, component.Source.Names.Count);
    }

    [Fact]
    public void MissingPath_IsOneClearError()
    {
        string missing = _dir.Sub("nothing");
        Assert.Equal($"{missing}: no such file or folder.", Assert.Throws<CheckpointException>(() => ZImageCheckpoint.Open(missing)).Message);
    }
}
