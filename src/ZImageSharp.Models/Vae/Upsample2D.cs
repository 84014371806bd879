using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Vae;

/// <summary>diffusers <c>Upsample2D</c> with a convolution: nearest-neighbour ×2, then a 3×3 convolution with padding 1.</summary>
public sealed class Upsample2D : IDisposable
{
    private readonly Conv2d _conv;

    /// <summary>Loads <c>conv</c> [C, C, 3, 3] under <paramref name="weights"/> (<c>upsamplers.0</c>).</summary>
    public Upsample2D(WeightMap weights, int channels)
    {
        ArgumentNullException.ThrowIfNull(weights);
        _conv = new Conv2d(weights.Sub("conv"), channels, channels, 3, Conv2dParams.Symmetric(1, 1));
    }

    /// <param name="x">[N, C, H, W]</param>
    /// <returns>[N, C, 2H, 2W]</returns>
    public Tensor Forward(Tensor x)
    {
        using Tensor upsampled = Ops.UpsampleNearest(x, 2);
        return _conv.Forward(upsampled);
    }

    /// <inheritdoc/>
    public void Dispose() => _conv.Dispose();
}
