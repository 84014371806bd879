using System.Globalization;
using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Vae;

/// <summary>
/// diffusers <c>Encoder</c> with <c>double_z</c>: conv_in → down blocks from the finest level, each but the last
/// halving the resolution → mid block → GroupNorm → SiLU → conv_out to 2·latent channels (mean, then log-variance).
/// </summary>
public sealed class VaeEncoder : IDisposable
{
    private readonly Conv2d _convIn;
    private readonly DownEncoderBlock2D[] _downBlocks;
    private readonly UNetMidBlock2D _midBlock;
    private readonly GroupNorm _convNormOut;
    private readonly Conv2d _convOut;

    /// <summary>Loads <c>conv_in, down_blocks.{i}, mid_block, conv_norm_out, conv_out</c> under <paramref name="weights"/> (<c>encoder</c>).</summary>
    public VaeEncoder(WeightMap weights, AutoencoderKlConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        int groups = config.NormNumGroups;
        const float eps = AutoencoderKlConfig.GroupNormEps;
        int channels = config.BlockOutChannels[0];
        _convIn = new Conv2d(weights.Sub("conv_in"), config.InChannels, channels, 3, Conv2dParams.Symmetric(1, 1));
        _downBlocks = new DownEncoderBlock2D[config.Levels];
        for (int i = 0; i < config.Levels; i++)
        {
            int outChannels = config.BlockOutChannels[i];
            WeightMap block = weights.Sub("down_blocks").Sub(i.ToString(CultureInfo.InvariantCulture));
            _downBlocks[i] = new DownEncoderBlock2D(block, channels, outChannels, config.LayersPerBlock, groups, eps, addDownsample: i < config.Levels - 1);
            channels = outChannels;
        }

        _midBlock = new UNetMidBlock2D(weights.Sub("mid_block"), channels, groups, eps, config.MidBlockAddAttention);
        _convNormOut = new GroupNorm(weights.Sub("conv_norm_out"), groups, channels, eps);
        _convOut = new Conv2d(weights.Sub("conv_out"), channels, 2 * config.LatentChannels, 3, Conv2dParams.Symmetric(1, 1));
    }

    /// <summary>The configuration.</summary>
    public AutoencoderKlConfig Config { get; }

    /// <param name="image">[N, in, H, W] in f32, nominally in [−1, 1].</param>
    /// <param name="trace">Receives <c>conv_in</c>, <c>down_blocks.{i}</c> (and their parts), <c>mid_block</c> (and its
    /// parts), <c>conv_norm_out</c> and <c>conv_out</c>, or null.</param>
    /// <returns>The moments [N, 2·latent, h, w]: mean in the first half of the channels, raw log-variance in the second.</returns>
    public Tensor Forward(Tensor image, VaeTrace? trace = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var scope = TensorScope.Begin();
        Tensor h = _convIn.Forward(image);
        trace?.Record("conv_in", h);
        for (int i = 0; i < _downBlocks.Length; i++)
        {
            string name = $"down_blocks.{i}";
            h = _downBlocks[i].Forward(h, consumeInput: true, trace?.Sub(name));
            trace?.Record(name, h);
        }

        h = _midBlock.Forward(h, consumeInput: true, trace?.Sub("mid_block"));
        trace?.Record("mid_block", h);
        h = Activations.Replace(h, _convNormOut.Forward(h));
        trace?.Record("conv_norm_out", h);
        h = Activations.Replace(h, Ops.Silu(h));
        h = Activations.Replace(h, _convOut.Forward(h));
        trace?.Record("conv_out", h);
        return scope.Keep(h);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _convIn.Dispose();
        foreach (DownEncoderBlock2D block in _downBlocks)
        {
            block.Dispose();
        }

        _midBlock.Dispose();
        _convNormOut.Dispose();
        _convOut.Dispose();
    }
}
