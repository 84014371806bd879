using ZImageSharp.Pipelines.Loading;
using ZImageSharp.Tensors;

namespace ZImageSharp.Pipelines.Tests.Loading;

/// <summary>
/// The real models (not just names) load from the manifest-built checkpoints in both layouts, on the meta backend:
/// the loader maps every name and shape, the models consume everything, nothing is missing or unused.
/// </summary>
public sealed class ModelLoadTests(ManifestCheckpoints checkpoints) : IClassFixture<ManifestCheckpoints>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FullSizeModels_LoadStrictly_FromBothLayouts(bool comfy)
    {
        using ZImageCheckpoint checkpoint = ZImageCheckpoint.Open(comfy ? checkpoints.Comfy : checkpoints.Diffusers);
        using ZImageComponents components = ZImageComponentLoader.Load(checkpoint, new ZImageLoadOptions(MetaBackend.Instance) { LoadVaeEncoder = true });
        Assert.Equal(30, components.Transformer.Config.NLayers);
        Assert.Equal(3840, components.Transformer.Config.Dim);
        Assert.Equal(35, components.TextEncoder.LayerCount);
        Assert.Equal(8, components.Vae.Config.ScaleFactor);

        // A meta generation step runs the real shapes end to end up to the image bytes.
        using var pipeline = new ZImagePipeline(MetaBackend.Instance, components);
        Assert.Equal(16, pipeline.SizeMultiple);
    }
}
