using ZImageSharp.Testing.Checkpoints;
using ZImageSharp.IO.Checkpoints;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.IO.Weights;
using ZImageSharp.Pipelines.Loading;
using ZImageSharp.Pipelines.Tests.Loading.Support;
using ZImageSharp.Tensors;

namespace ZImageSharp.Pipelines.Tests.Loading;

/// <summary>Both checkpoint layouts, built header-only from the manifests once for the class.</summary>
public sealed class ManifestCheckpoints : IDisposable
{
    private readonly TempFolder _folder = new();

    public ManifestCheckpoints()
    {
        Diffusers = TestCheckpoints.WriteDiffusers(_folder.Sub("Z-Image-Turbo"));
        Comfy = TestCheckpoints.WriteComfy(_folder.Sub("models"));
    }

    public string Diffusers { get; }

    public string Comfy { get; }

    public void Dispose() => _folder.Dispose();
}

/// <summary>
/// The proof without real weights: every mapped component presents exactly the manifest's names and shapes (set
/// equality, nothing missing, nothing extra), with the stored dtypes and the parameter totals of totals.json.
/// </summary>
public sealed class ManifestMappingTests(ManifestCheckpoints checkpoints) : IClassFixture<ManifestCheckpoints>
{
    public static TheoryData<ZImageComponentKind> Kinds() => [.. ZImageComponentKinds.All];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Diffusers_Component_PresentsExactlyTheManifest(ZImageComponentKind kind)
    {
        using ZImageCheckpoint checkpoint = ZImageCheckpoint.Open(checkpoints.Diffusers);
        ZImageComponent component = checkpoint.Find(kind)!;
        Manifest manifest = Manifest.For(kind.FolderName());
        AssertPresentsManifest(component, manifest, kind == ZImageComponentKind.Transformer ? SafetensorsDType.F32 : SafetensorsDType.BF16);
        Assert.Equal(CheckpointFormat.Diffusers, component.Format);
        Assert.Empty(component.Skipped);
        Assert.Equal(Path.Combine(checkpoints.Diffusers, kind.FolderName(), "config.json"), component.ConfigPath);
        Assert.Equal(manifest.ClassName, component.ClassName);
        Assert.Equal(kind == ZImageComponentKind.Vae ? 1 : 3, component.Files.Count);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Comfy_Component_PresentsExactlyTheManifest(ZImageComponentKind kind)
    {
        using ZImageCheckpoint checkpoint = ZImageCheckpoint.Open(checkpoints.Comfy);
        ZImageComponent component = checkpoint.Find(kind)!;
        Manifest manifest = Manifest.For(kind.FolderName());
        AssertPresentsManifest(component, manifest, kind == ZImageComponentKind.Vae ? SafetensorsDType.F32 : SafetensorsDType.BF16);
        Assert.Equal(kind switch { ZImageComponentKind.Transformer => CheckpointFormat.ComfyUI, ZImageComponentKind.Vae => CheckpointFormat.Bfl, _ => CheckpointFormat.Diffusers }, component.Format);
        Assert.Null(component.ConfigPath);
        Assert.Null(component.ClassName);
        Assert.Single(component.Files);
    }

    [Fact]
    public void Comfy_Transformer_Has454StoredTensorsAndSkipsOnlyNormFinal()
    {
        using ZImageCheckpoint checkpoint = ZImageCheckpoint.Open(checkpoints.Comfy);
        ZImageComponent transformer = checkpoint.Transformer;
        using SafetensorsFile stored = SafetensorsFile.Open(transformer.CheckpointPath);
        Assert.Equal(453 + 1, stored.Names.Count); // spec 6.2: 32×13 + 2×11 + 15, plus norm_final.weight
        SkippedTensor skipped = Assert.Single(transformer.Skipped);
        Assert.Equal("model.diffusion_model.norm_final.weight", skipped.Name);
        Assert.Contains("Lumina-2", skipped.Reason);
        Assert.Equal(Manifest.Total("transformer_total") + 3840, stored.Tensors.Sum(t => t.ElementCount));
    }

    [Fact]
    public void Comfy_TransformerRoutes_FollowSpec62()
    {
        using ZImageCheckpoint checkpoint = ZImageCheckpoint.Open(checkpoints.Comfy);
        ZImageComponent transformer = checkpoint.Transformer;
        const string p = "model.diffusion_model.";
        Assert.Equal(new TensorRoute(p + "x_embedder.weight"), transformer.Route("all_x_embedder.2-1.weight"));
        Assert.Equal(new TensorRoute(p + "final_layer.adaLN_modulation.1.bias"), transformer.Route("all_final_layer.2-1.adaLN_modulation.1.bias"));
        Assert.Equal(new TensorRoute(p + "layers.29.attention.out.weight"), transformer.Route("layers.29.attention.to_out.0.weight"));
        Assert.Equal(new TensorRoute(p + "context_refiner.1.attention.k_norm.weight"), transformer.Route("context_refiner.1.attention.norm_k.weight"));
        Assert.Equal(new TensorRoute(p + "noise_refiner.0.adaLN_modulation.0.weight"), transformer.Route("noise_refiner.0.adaLN_modulation.0.weight"));

        // q, k, v are consecutive row blocks of the fused weight: byte ranges of the stored tensor, in that order.
        using SafetensorsFile stored = SafetensorsFile.Open(transformer.CheckpointPath);
        TensorInfo fused = stored.Info(p + "layers.7.attention.qkv.weight");
        Assert.Equal([11520, 3840], fused.Dims);
        string[] parts = ["to_q", "to_k", "to_v"];
        for (int i = 0; i < 3; i++)
        {
            string name = $"layers.7.attention.{parts[i]}.weight";
            Assert.Equal(new TensorRoute(fused.Name, TensorTransform.Chunk(i, 3)), transformer.Route(name));
            TensorInfo info = transformer.Source.Info(name);
            Assert.Equal(fused.DataOffset + (i * 3840L * 3840 * 2), info.DataOffset);
            Assert.Equal(3840L * 3840 * 2, info.ByteLength);
            Assert.Equal(transformer.CheckpointPath, info.FilePath);
        }
    }

    [Fact]
    public void Comfy_VaeRoutes_FollowSpec43()
    {
        using ZImageCheckpoint checkpoint = ZImageCheckpoint.Open(checkpoints.Comfy);
        ZImageComponent vae = checkpoint.Vae;
        Assert.Equal(new TensorRoute("decoder.up.3.block.0.conv1.weight"), vae.Route("decoder.up_blocks.0.resnets.0.conv1.weight"));
        Assert.Equal(new TensorRoute("decoder.up.0.block.2.norm2.bias"), vae.Route("decoder.up_blocks.3.resnets.2.norm2.bias"));
        Assert.Equal(new TensorRoute("decoder.up.1.block.0.nin_shortcut.weight"), vae.Route("decoder.up_blocks.2.resnets.0.conv_shortcut.weight"));
        Assert.Equal(new TensorRoute("decoder.up.1.upsample.conv.weight"), vae.Route("decoder.up_blocks.2.upsamplers.0.conv.weight"));
        Assert.Equal(new TensorRoute("encoder.down.1.downsample.conv.bias"), vae.Route("encoder.down_blocks.1.downsamplers.0.conv.bias"));
        Assert.Equal(new TensorRoute("encoder.down.2.block.0.nin_shortcut.weight"), vae.Route("encoder.down_blocks.2.resnets.0.conv_shortcut.weight"));
        Assert.Equal(new TensorRoute("decoder.mid.block_2.conv2.weight"), vae.Route("decoder.mid_block.resnets.1.conv2.weight"));
        Assert.Equal(new TensorRoute("encoder.mid.attn_1.norm.weight"), vae.Route("encoder.mid_block.attentions.0.group_norm.weight"));
        Assert.Equal(new TensorRoute("decoder.norm_out.bias"), vae.Route("decoder.conv_norm_out.bias"));
        Assert.Equal(new TensorRoute("decoder.mid.attn_1.q.weight", TensorTransform.Conv1x1ToLinear), vae.Route("decoder.mid_block.attentions.0.to_q.weight"));
        Assert.Equal(new TensorRoute("decoder.mid.attn_1.proj_out.weight", TensorTransform.Conv1x1ToLinear), vae.Route("decoder.mid_block.attentions.0.to_out.0.weight"));
        Assert.Equal(new TensorRoute("decoder.mid.attn_1.proj_out.bias"), vae.Route("decoder.mid_block.attentions.0.to_out.0.bias"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WeightMap_EveryManifestTensorLoadsOnMeta_AndNothingIsUnused(bool comfy)
    {
        using ZImageCheckpoint checkpoint = ZImageCheckpoint.Open(comfy ? checkpoints.Comfy : checkpoints.Diffusers);
        foreach (ZImageComponent component in checkpoint.Components)
        {
            // As the models will: by diffusers names, converted tensor by tensor to BF16, strictly.
            var weights = new WeightMap(component.Source, MetaBackend.Instance, dtype: DType.BF16);
            foreach (ManifestTensor t in Manifest.For(component.Kind.FolderName()).Tensors)
            {
                using Tensor tensor = weights.Get(t.Name, new Shape([.. t.Shape.Select(d => (int)d)]));
                Assert.Equal(DType.BF16, tensor.DType);
            }

            weights.ThrowIfUnused();
            Assert.True(weights.Report().IsExact);
        }
    }

    private static void AssertPresentsManifest(ZImageComponent component, Manifest manifest, SafetensorsDType storedDType)
    {
        ITensorSource source = component.Source;
        Assert.Equal(manifest.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal), source.Names);
        foreach (ManifestTensor expected in manifest.Tensors)
        {
            TensorInfo info = source.Info(expected.Name);
            Assert.True(expected.Shape.SequenceEqual(info.Dims), $"{expected.Name}: manifest [{string.Join(", ", expected.Shape)}], presented {info.ShapeText}");
            Assert.Equal(storedDType, info.DType);
            Assert.Equal(expected.Elements * (storedDType == SafetensorsDType.F32 ? 4 : 2), info.ByteLength);
            Assert.StartsWith(Path.GetDirectoryName(component.CheckpointPath)!, info.FilePath);
        }

        Assert.Empty(component.Unexpected);
        Assert.Equal(manifest.TotalParameters, source.Names.Sum(n => source.Info(n).ElementCount));
        string totalKey = manifest.Component + "_total";
        Assert.Equal(Manifest.Total(totalKey), manifest.TotalParameters);
    }
}
