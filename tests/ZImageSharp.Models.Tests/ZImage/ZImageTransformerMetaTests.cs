using ZImageSharp.IO.Safetensors;
using ZImageSharp.IO.Weights;
using ZImageSharp.Models.ZImage;
using ZImageSharp.Tensors;
using ZImageSharp.Testing.Checkpoints;

namespace ZImageSharp.Models.Tests.ZImage;

/// <summary>The real Z-Image-Turbo transformer built on MetaBackend from the checkpoint's names and shapes only.</summary>
public sealed class ZImageTransformerMetaTests
{
    [Fact]
    public void TurboConfig_LoadsStrictlyFromTheManifest_AndForwardsA1024Latent()
    {
        string path = Path.Combine(Path.GetTempPath(), $"zimage-dit-turbo-header-{Environment.ProcessId}.safetensors");
        try
        {
            SparseSafetensors.Write(path, Manifest.Transformer.Tensors);

            using SafetensorsFile checkpoint = SafetensorsFile.Open(path);
            ZImageTransformerConfig config = ZImageTransformerConfig.Turbo;
            var map = new WeightMap(checkpoint, MetaBackend.Instance);
            using ZImageTransformer model = ZImageTransformer.Load(map, config);
            Assert.Empty(map.UnusedNames());

            // 1024² image → latent [16, 1, 128, 128] (4096 tokens); a 100-token caption pads to 128.
            using Tensor latent = Tensor.Empty(MetaBackend.Instance, new Shape(config.InChannels, 1, 128, 128), DType.F32);
            using Tensor t = Tensor.Empty(MetaBackend.Instance, new Shape(1), DType.F32);
            using Tensor caption = Tensor.Empty(MetaBackend.Instance, new Shape(100, config.CapFeatDim), DType.BF16);
            using Tensor output = model.Forward([latent], t, [caption])[0];
            Assert.Equal(new Shape(16, 1, 128, 128), output.Shape);
            Assert.Equal(DType.F32, output.DType);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
