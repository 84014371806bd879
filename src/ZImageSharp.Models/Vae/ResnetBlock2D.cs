using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Vae;

/// <summary>
/// diffusers <c>ResnetBlock2D</c> without a time embedding: h = conv2(silu(norm2(conv1(silu(norm1(x)))))),
/// out = shortcut(x) + h, where the shortcut is a 1×1 convolution when the channel count changes and the identity
/// otherwise (dropout 0, output scale 1).
/// </summary>
public sealed class ResnetBlock2D : IDisposable
{
    private readonly GroupNorm _norm1;
    private readonly Conv2d _conv1;
    private readonly GroupNorm _norm2;
    private readonly Conv2d _conv2;
    private readonly Conv2d? _convShortcut;

    /// <summary>Loads <c>norm1, conv1, norm2, conv2</c> and, when the widths differ, <c>conv_shortcut</c>.</summary>
    /// <param name="weights">The block's weights (e.g. <c>decoder.up_blocks.2.resnets.0</c>).</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="groups">GroupNorm groups.</param>
    /// <param name="eps">GroupNorm epsilon.</param>
    public ResnetBlock2D(WeightMap weights, int inChannels, int outChannels, int groups, float eps)
    {
        ArgumentNullException.ThrowIfNull(weights);
        InChannels = inChannels;
        OutChannels = outChannels;
        _norm1 = new GroupNorm(weights.Sub("norm1"), groups, inChannels, eps);
        _conv1 = new Conv2d(weights.Sub("conv1"), inChannels, outChannels, 3, Conv2dParams.Symmetric(1, 1));
        _norm2 = new GroupNorm(weights.Sub("norm2"), groups, outChannels, eps);
        _conv2 = new Conv2d(weights.Sub("conv2"), outChannels, outChannels, 3, Conv2dParams.Symmetric(1, 1));
        _convShortcut = inChannels != outChannels
            ? new Conv2d(weights.Sub("conv_shortcut"), inChannels, outChannels, 1, Conv2dParams.Symmetric(1, 0))
            : null;
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <param name="x">[N, in, H, W]</param>
    /// <param name="consumeInput">Dispose <paramref name="x"/> as soon as it is no longer needed: at full resolution the
    /// input is the largest tensor of the block, and a caller that is done with it saves one activation of peak memory.</param>
    /// <returns>[N, out, H, W]</returns>
    public Tensor Forward(Tensor x, bool consumeInput = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = TensorScope.Begin();

        // The 1×1 shortcut runs first so that a consumed input can go right after norm1, before the SiLU allocates:
        // at 256 → 128 channels and 1024² that keeps x (1 GiB), the shortcut and the norm (2.5 GiB) as the block's peak
        // instead of x, shortcut, norm and SiLU (3.5 GiB).
        Tensor? shortcut = _convShortcut?.Forward(x);
        Tensor h = _norm1.Forward(x);
        if (consumeInput && shortcut is not null)
        {
            x.Dispose();
        }

        h = Activations.Replace(h, Ops.Silu(h));
        h = Activations.Replace(h, _conv1.Forward(h));
        h = Activations.Replace(h, _norm2.ForwardSilu(h));
        h = Activations.Replace(h, _conv2.Forward(h));
        Tensor output = (shortcut ?? x) + h;
        if (consumeInput)
        {
            x.Dispose();
        }

        return scope.Keep(output);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _norm1.Dispose();
        _conv1.Dispose();
        _norm2.Dispose();
        _conv2.Dispose();
        _convShortcut?.Dispose();
    }
}
