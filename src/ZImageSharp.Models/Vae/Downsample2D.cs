using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Vae;

/// <summary>
/// diffusers <c>Downsample2D</c> as the VAE encoder builds it (<c>padding=0</c>): zero padding of one row below and one
/// column on the right (<c>F.pad(x, (0, 1, 0, 1))</c>), then a 3×3 convolution with stride 2 and no padding. The pad
/// is part of the convolution's parameters, so no padded copy is made.
/// </summary>
public sealed class Downsample2D : IDisposable
{
    private readonly Conv2d _conv;

    /// <summary>Loads <c>conv</c> [C, C, 3, 3] under <paramref name="weights"/> (<c>downsamplers.0</c>).</summary>
    public Downsample2D(WeightMap weights, int channels)
    {
        ArgumentNullException.ThrowIfNull(weights);
        _conv = new Conv2d(weights.Sub("conv"), channels, channels, 3, new Conv2dParams(Stride: 2, PadTop: 0, PadBottom: 1, PadLeft: 0, PadRight: 1));
    }

    /// <param name="x">[N, C, H, W]</param>
    /// <returns>[N, C, ⌊H/2⌋, ⌊W/2⌋]</returns>
    public Tensor Forward(Tensor x) => _conv.Forward(x);

    /// <inheritdoc/>
    public void Dispose() => _conv.Dispose();
}
