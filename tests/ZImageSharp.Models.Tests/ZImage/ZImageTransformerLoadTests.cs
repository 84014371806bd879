using ZImageSharp.Cpu;
using ZImageSharp.IO.Checkpoints;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.IO.Weights;
using ZImageSharp.Models.ZImage;
using ZImageSharp.Tensors;
using ZImageSharp.Testing;

namespace ZImageSharp.Models.Tests.ZImage;

/// <summary>Strict loading from dit-tiny/model.safetensors, its error messages, and input checks of Forward.</summary>
public sealed class ZImageTransformerLoadTests : IDisposable
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;
    private readonly SafetensorsFile _weights = SafetensorsFile.Open(DitTiny.Path("model.safetensors"));
    private readonly ZImageTransformerConfig _config = ZImageTransformerConfig.Load(DitTiny.Path("config.json"));

    public void Dispose() => _weights.Dispose();

    [Fact]
    public void Load_UsesEveryTensorOfTheCheckpoint()
    {
        var map = new WeightMap(_weights, Cpu);
        using ZImageTransformer model = ZImageTransformer.Load(map, _config);
        Assert.Empty(map.UnusedNames());

        // 15 top-level tensors; 15 per modulated block (noise refiner, layers), 13 per context-refiner block (no adaLN).
        int expected = 15 + (15 * (_config.NLayers + _config.NRefinerLayers)) + (13 * _config.NRefinerLayers);
        Assert.Equal(expected, _weights.Names.Count);
    }

    [Fact]
    public void Load_UnexpectedTensor_IsListed()
    {
        string path = Path.Combine(Path.GetTempPath(), $"zimage-dit-extra-{Environment.ProcessId}.safetensors");
        try
        {
            var writer = new SafetensorsWriter();
            foreach (string name in _weights.Names)
            {
                writer.Add(name, _weights.Info(name).DType, [.. _weights.Info(name).Dims], _weights.GetBytes(name).ToArray());
            }

            writer.Add("layers.0.attention.to_q.bias", SafetensorsDType.F32, [1], new byte[4]);
            writer.Save(path);
            using SafetensorsFile extra = SafetensorsFile.Open(path);
            var e = Assert.Throws<CheckpointException>(() => ZImageTransformer.Load(new WeightMap(extra, Cpu), _config));
            Assert.Contains("'layers.0.attention.to_q.bias'", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_WrongCapFeatDim_NamesTheTensorAndBothShapes()
    {
        ZImageTransformerConfig wrong = _config with { CapFeatDim = 2 * _config.CapFeatDim };
        var e = Assert.Throws<CheckpointException>(() => ZImageTransformer.Load(new WeightMap(_weights, Cpu), wrong));
        Assert.Equal("cap_embedder.0.weight", e.TensorName);
        Assert.Contains($"[{wrong.CapFeatDim}]", e.Message);
        Assert.Contains($"[{_config.CapFeatDim}]", e.Message);
    }

    [Fact]
    public void Load_WrongDim_NamesTheTensorAndBothShapes()
    {
        // One more head of the same width keeps the RoPE split valid but changes every dim-sized tensor.
        ZImageTransformerConfig wrong = _config with { Dim = _config.Dim + _config.HeadDim, NHeads = _config.NHeads + 1, NKvHeads = _config.NHeads + 1 };
        var e = Assert.Throws<CheckpointException>(() => ZImageTransformer.Load(new WeightMap(_weights, Cpu), wrong));
        Assert.NotNull(e.TensorName);
        Assert.Contains(e.TensorName, e.Message);
        Assert.Contains(_weights.Info(e.TensorName).ShapeText, e.Message);
        Assert.Contains(wrong.Dim.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }

    [Fact]
    public void Forward_InputsThatDoNotFitTheConfig_Throw()
    {
        using ZImageTransformer model = ZImageTransformer.Load(new WeightMap(_weights, Cpu), _config);
        int c = _config.InChannels;
        using Tensor t = Tensor.Zeros(Cpu, new Shape(1));
        using Tensor latent = Tensor.Zeros(Cpu, new Shape(c, 1, 4, 4));
        using Tensor caption = Tensor.Zeros(Cpu, new Shape(3, _config.CapFeatDim));
        using Tensor wrongChannels = Tensor.Zeros(Cpu, new Shape(c + 1, 1, 4, 4));
        using Tensor oddWidth = Tensor.Zeros(Cpu, new Shape(c, 1, 4, 5));
        using Tensor wrongCaption = Tensor.Zeros(Cpu, new Shape(3, _config.CapFeatDim + 1));
        using Tensor twoTimesteps = Tensor.Zeros(Cpu, new Shape(2));
        Assert.Throws<ArgumentException>(() => model.Forward([wrongChannels], t, [caption]));
        Assert.Throws<ArgumentException>(() => model.Forward([oddWidth], t, [caption]));
        Assert.Throws<ArgumentException>(() => model.Forward([latent], t, [wrongCaption]));
        Assert.Throws<ArgumentException>(() => model.Forward([latent], twoTimesteps, [caption]));
        Assert.Throws<ArgumentException>(() => model.Forward([latent, latent], t, [caption]));
    }

    [Fact]
    public void Forward_CaptionBeyondTheRopeTable_ThrowsNamingAxesLens()
    {
        using ZImageTransformer model = ZImageTransformer.Load(new WeightMap(_weights, Cpu), _config);
        using Tensor t = Tensor.Zeros(Cpu, new Shape(1));
        using Tensor latent = Tensor.Zeros(Cpu, new Shape(_config.InChannels, 1, 2, 2));
        using Tensor caption = Tensor.Zeros(Cpu, new Shape(_config.AxesLens[0], _config.CapFeatDim));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Forward([latent], t, [caption]));
        Assert.Contains("axes_lens", e.Message);
    }
}
