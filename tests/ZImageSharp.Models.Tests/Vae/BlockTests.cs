using ZImageSharp.Cpu;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.IO.Weights;
using ZImageSharp.Models.Vae;
using ZImageSharp.Tensors;
using ZImageSharp.Testing;

namespace ZImageSharp.Models.Tests.Vae;

/// <summary>Blocks in isolation: the downsampler against its PyTorch definition on odd sizes, input consumption of resnets.</summary>
public sealed class BlockTests : IDisposable
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;
    private readonly SafetensorsFile _weights = SafetensorsFile.Open(Fixtures.Path("vae-tiny", "model.safetensors"));

    public void Dispose() => _weights.Dispose();

    [Theory]
    [InlineData(7, 9)]
    [InlineData(8, 5)]
    public void Downsample_EqualsExplicitPadThenStride2Conv(int height, int width)
    {
        // F.pad(x, (0, 1, 0, 1)) then conv 3×3 stride 2 padding 0, with the pad as real zero rows and columns.
        using Tensor weight = _weights.ReadTensor("encoder.down_blocks.0.downsamplers.0.conv.weight", Cpu);
        using Tensor bias = _weights.ReadTensor("encoder.down_blocks.0.downsamplers.0.conv.bias", Cpu);
        int channels = weight.Shape[0];
        using var down = new Downsample2D(new WeightMap(_weights, Cpu).Sub("encoder.down_blocks.0.downsamplers.0"), channels);
        using Tensor x = Pattern(new Shape(2, channels, height, width));

        using var scope = TensorScope.Begin();
        Tensor padded = Ops.Concat([Ops.Concat([x, Tensor.Zeros(Cpu, new Shape(2, channels, height, 1))], 3), Tensor.Zeros(Cpu, new Shape(2, channels, 1, width + 1))], 2);
        Tensor expected = Ops.Conv2d(padded, weight, bias, Conv2dParams.Symmetric(2, 0));
        Tensor actual = down.Forward(x);
        Assert.Equal(new Shape(2, channels, height / 2, width / 2), actual.Shape);
        TensorAssert.Close(expected, actual, Tolerance.Exact);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Resnet_ConsumingTheInput_FreesItAndGivesTheSameResult(bool channelChange)
    {
        // A resnet of the fixture with (or without) a 1×1 shortcut; its widths come from the checkpoint's shapes.
        string prefix = _weights.Names
            .Where(n => n.StartsWith("decoder.", StringComparison.Ordinal) && n.EndsWith(".conv1.weight", StringComparison.Ordinal))
            .Select(n => n[..^".conv1.weight".Length])
            .First(p => _weights.Contains(p + ".conv_shortcut.weight") == channelChange);
        var (outChannels, inChannels, _, _) = _weights.Info(prefix + ".conv1.weight").ToShape().Dims4();
        AutoencoderKlConfig config = AutoencoderKlConfig.Load(Fixtures.Path("vae-tiny", "config.json"));
        using var resnet = new ResnetBlock2D(new WeightMap(_weights, Cpu).Sub(prefix), inChannels, outChannels, config.NormNumGroups, AutoencoderKlConfig.GroupNormEps);

        Tensor x = Pattern(new Shape(2, inChannels, 5, 3));
        using Tensor kept = resnet.Forward(x);
        Assert.False(x.IsDisposed);
        using Tensor consumed = resnet.Forward(x, consumeInput: true);
        Assert.True(x.IsDisposed);
        Assert.Equal(new Shape(2, outChannels, 5, 3), consumed.Shape);
        TensorAssert.Close(kept, consumed, Tolerance.Exact);
    }

    private static Tensor Pattern(Shape shape)
    {
        float[] data = new float[shape.ElementCount];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = MathF.Cos(i * 0.61f);
        }

        return Tensor.From<float>(Cpu, data, shape);
    }
}
