using System.Globalization;
using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Vae;

/// <summary>
/// diffusers <c>Decoder</c> (spec 4.2): conv_in → mid block → up blocks from the coarsest level (widest channels)
/// to the finest, each but the last doubling the resolution → GroupNorm → SiLU → conv_out.
/// </summary>
public sealed class VaeDecoder : IDisposable
{
    private readonly Conv2d _convIn;
    private readonly UNetMidBlock2D _midBlock;
    private readonly UpDecoderBlock2D[] _upBlocks;
    private readonly GroupNorm _convNormOut;
    private readonly Conv2d _convOut;

    /// <summary>Loads <c>conv_in, mid_block, up_blocks.{i}, conv_norm_out, conv_out</c> under <paramref name="weights"/> (<c>decoder</c>).</summary>
    public VaeDecoder(WeightMap weights, AutoencoderKlConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        int groups = config.NormNumGroups;
        const float eps = AutoencoderKlConfig.GroupNormEps;
        int coarsest = config.BlockOutChannels[^1];
        _convIn = new Conv2d(weights.Sub("conv_in"), config.LatentChannels, coarsest, 3, Conv2dParams.Symmetric(1, 1));
        _midBlock = new UNetMidBlock2D(weights.Sub("mid_block"), coarsest, groups, eps, config.MidBlockAddAttention);

        // up_blocks.0 works on block_out_channels[-1]; block i narrows to block_out_channels[levels - 1 - i].
        _upBlocks = new UpDecoderBlock2D[config.Levels];
        int channels = coarsest;
        for (int i = 0; i < config.Levels; i++)
        {
            int outChannels = config.BlockOutChannels[config.Levels - 1 - i];
            WeightMap block = weights.Sub("up_blocks").Sub(i.ToString(CultureInfo.InvariantCulture));
            _upBlocks[i] = new UpDecoderBlock2D(block, channels, outChannels, config.LayersPerBlock + 1, groups, eps, addUpsample: i < config.Levels - 1);
            channels = outChannels;
        }

        _convNormOut = new GroupNorm(weights.Sub("conv_norm_out"), groups, channels, eps);
        _convOut = new Conv2d(weights.Sub("conv_out"), channels, config.OutChannels, 3, Conv2dParams.Symmetric(1, 1));
    }

    /// <summary>The configuration.</summary>
    public AutoencoderKlConfig Config { get; }

    /// <param name="z">[N, latent, h, w] in f32, already scaled (<see cref="AutoencoderKl.ScaleLatents"/>).</param>
    /// <param name="trace">Receives <c>conv_in</c>, <c>mid_block</c> (and its parts), <c>up_blocks.{i}</c> (and their
    /// parts), <c>conv_norm_out</c> and <c>conv_out</c>, or null.</param>
    /// <returns>[N, out, h·f, w·f] with f = <see cref="AutoencoderKlConfig.ScaleFactor"/>.</returns>
    public Tensor Forward(Tensor z, VaeTrace? trace = null)
    {
        ArgumentNullException.ThrowIfNull(z);
        using var scope = TensorScope.Begin();

        // Each stage consumes the previous activation, so at most one inter-block activation is alive.
        Tensor h = _convIn.Forward(z);
        trace?.Record("conv_in", h);
        h = _midBlock.Forward(h, consumeInput: true, trace?.Sub("mid_block"));
        trace?.Record("mid_block", h);
        for (int i = 0; i < _upBlocks.Length; i++)
        {
            string name = $"up_blocks.{i}";
            h = _upBlocks[i].Forward(h, consumeInput: true, trace?.Sub(name));
            trace?.Record(name, h);
        }

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
        _midBlock.Dispose();
        foreach (UpDecoderBlock2D block in _upBlocks)
        {
            block.Dispose();
        }

        _convNormOut.Dispose();
        _convOut.Dispose();
    }
}
