using System.Globalization;
using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Vae;

/// <summary>diffusers <c>UpDecoderBlock2D</c>: resnets (the first one changes the width), then an optional <see cref="Upsample2D"/>.</summary>
public sealed class UpDecoderBlock2D : IDisposable
{
    private readonly ResnetBlock2D[] _resnets;
    private readonly Upsample2D? _upsampler;

    /// <summary>Loads <c>resnets.{0..layers-1}</c> and, when <paramref name="addUpsample"/>, <c>upsamplers.0</c>.</summary>
    /// <param name="weights">The block's weights (<c>decoder.up_blocks.{i}</c>).</param>
    /// <param name="inChannels">Input channels (of the first resnet).</param>
    /// <param name="outChannels">Output channels of every resnet and of the upsampler.</param>
    /// <param name="layers">Number of resnets (the VAE's layers_per_block + 1).</param>
    /// <param name="groups">GroupNorm groups.</param>
    /// <param name="eps">GroupNorm epsilon.</param>
    /// <param name="addUpsample">Whether the block doubles the resolution at its end (all but the last).</param>
    public UpDecoderBlock2D(WeightMap weights, int inChannels, int outChannels, int layers, int groups, float eps, bool addUpsample)
    {
        ArgumentNullException.ThrowIfNull(weights);
        _resnets = new ResnetBlock2D[layers];
        for (int j = 0; j < layers; j++)
        {
            _resnets[j] = new ResnetBlock2D(weights.Sub("resnets").Sub(j.ToString(CultureInfo.InvariantCulture)), j == 0 ? inChannels : outChannels, outChannels, groups, eps);
        }

        _upsampler = addUpsample ? new Upsample2D(weights.Sub("upsamplers").Sub("0"), outChannels) : null;
    }

    /// <param name="x">[N, in, H, W]</param>
    /// <param name="consumeInput">Dispose <paramref name="x"/> once it is no longer needed.</param>
    /// <param name="trace">Receives <c>resnets.{j}</c> and <c>upsamplers.0</c>, or null.</param>
    /// <returns>[N, out, 2H, 2W] with an upsampler, else [N, out, H, W].</returns>
    public Tensor Forward(Tensor x, bool consumeInput = false, VaeTrace? trace = null)
    {
        using var scope = TensorScope.Begin();
        Tensor h = x;
        for (int j = 0; j < _resnets.Length; j++)
        {
            h = _resnets[j].Forward(h, consumeInput: j > 0 || consumeInput);
            trace?.Record($"resnets.{j}", h);
        }

        if (_upsampler is not null)
        {
            h = Activations.Replace(h, _upsampler.Forward(h));
            trace?.Record("upsamplers.0", h);
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

        _upsampler?.Dispose();
    }
}
