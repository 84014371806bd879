using ZImageSharp.IO.Safetensors;
using ZImageSharp.IO.Weights;
using ZImageSharp.Models.Vae;
using ZImageSharp.Tensors;
using ZImageSharp.Testing.Checkpoints;

namespace ZImageSharp.Models.Tests.Vae;

/// <summary>The real Flux VAE built on MetaBackend against the real checkpoint's names, dtypes and shapes (no data).</summary>
public sealed class VaeMetaTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"zimage-vae-meta-{Environment.ProcessId}-{Guid.NewGuid():N}.safetensors");
    private readonly AutoencoderKlConfig _config;
    private readonly SafetensorsFile _file;

    public VaeMetaTests()
    {
        SparseSafetensors.Write(_path, Manifest.Vae.Tensors);
        _config = AutoencoderKlConfig.Parse(Manifest.Vae.ConfigJson, "manifests/vae.json");
        _file = SafetensorsFile.Open(_path);
    }

    public void Dispose()
    {
        _file.Dispose();
        File.Delete(_path);
    }

    [Fact]
    public void RealCheckpoint_LoadsStrictly_AndDecodes1024()
    {
        var map = new WeightMap(_file, MetaBackend.Instance);
        using AutoencoderKl vae = AutoencoderKl.Load(map, _config);
        Assert.Empty(map.UnusedNames());

        int latent = 1024 / _config.ScaleFactor;
        using Tensor z = Tensor.Empty(MetaBackend.Instance, new Shape(1, _config.LatentChannels, latent, latent), DType.F32);
        using Tensor scaled = vae.ScaleLatents(z);
        using Tensor image = vae.Decode(scaled);
        Assert.Equal(new Shape(1, 3, 1024, 1024), image.Shape);
        Assert.Equal(DType.F32, image.DType);

        var (mean, logVar) = vae.Encode(image);
        using (mean)
        using (logVar)
        {
            Assert.Equal(z.Shape, mean.Shape);
            Assert.Equal(z.Shape, logVar.Shape);
        }
    }

    [Fact]
    public void RealCheckpoint_DecoderOnly_SkipsTheEncoder()
    {
        var map = new WeightMap(_file, MetaBackend.Instance);
        using AutoencoderKl vae = AutoencoderKl.Load(map, AutoencoderKlConfig.Flux, loadEncoder: false);
        Assert.Null(vae.Encoder);
        Assert.Empty(map.UnusedNames());
    }
}
