using System.Globalization;
using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Vae;

/// <summary>diffusers <c>DownEncoderBlock2D</c>: resnets (the first one changes the width), then an optional <see cref="Downsample2D"/>.</summary>
public sealed class DownEncoderBlock2D : IDisposable
{
    private readonly ResnetBlock2D[] _resnets;
    private readonly Downsample2D? _downsampler;

    /// <summary>Loads <c>resnets.{0..layers-1}</c> and, when <paramref name="addDownsample"/>, <c>downsamplers.0</c>.</summary>
    /// <param name="weights">The block's weights (<c>encoder.down_blocks.{i}</c>).</param>
    /// <param name="inChannels">Input channels (of the first resnet).</param>
    /// <param name="outChannels">Output channels of every resnet and of the downsampler.</param>
    /// <param name="layers">Number of resnets (layers_per_block).</param>
    /// <param name="groups">GroupNorm groups.</param>
    /// <param name="eps">GroupNorm epsilon.</param>
    /// <param name="addDownsample">Whether the block halves the resolution at its end (all but the last).</param>
    public DownEncoderBlock2D(WeightMap weights, int inChannels, int outChannels, int layers, int groups, float eps, bool addDownsample)
    {
        ArgumentNullException.ThrowIfNull(weights);
        _resnets = new ResnetBlock2D[layers];
        for (int j = 0; j < layers; j++)
        {
            _resnets[j] = new ResnetBlock2D(weights.Sub("resnets").Sub(j.ToString(CultureInfo.InvariantCulture)), j == 0 ? inChannels : outChannels, outChannels, groups, eps);
        }

        _downsampler = addDownsample ? new Downsample2D(weights.Sub("downsamplers").Sub("0"), outChannels) : null;
    }

    /// <param name="x">[N, in, H, W]</param>
    /// <param name="consumeInput">Dispose <paramref name="x"/> once it is no longer needed.</param>
    /// <param name="trace">Receives <c>resnets.{j}</c> and <c>downsamplers.0</c>, or null.</param>
    /// <returns>[N, out, ⌊H/2⌋, ⌊W/2⌋] with a downsampler, else [N, out, H, W].</returns>
    public Tensor Forward(Tensor x, bool consumeInput = false, VaeTrace? trace = null)
    {
        using var scope = TensorScope.Begin();
        Tensor h = x;
        for (int j = 0; j < _resnets.Length; j++)
        {
            h = _resnets[j].Forward(h, consumeInput: j > 0 || consumeInput);
            trace?.Record($"resnets.{j}", h);
        }

        if (_downsampler is not null)
        {
            h = Activations.Replace(h, _downsampler.Forward(h));
            trace?.Record("downsamplers.0", h);
        }

        return scope.Keep(h);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (ResnetBlock2D resnet in _resnets)
        {
            resnet.Dispose();
        }

        _downsampler?.Dispose();
    }
}
