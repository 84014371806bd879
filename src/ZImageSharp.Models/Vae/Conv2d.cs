using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Vae;

/// <summary>A square-kernel 2-D convolution with bias (PyTorch <c>nn.Conv2d</c>, dilation 1, one group); the weight keeps its checkpoint dtype.</summary>
public sealed class Conv2d : IDisposable
{
    /// <summary>Loads <c>weight</c> [out, in, k, k] and <c>bias</c> [out] under <paramref name="weights"/>.</summary>
    /// <param name="weights">The layer's weights (e.g. <c>decoder.conv_in</c>).</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">Kernel height and width.</param>
    /// <param name="parameters">Stride and zero padding.</param>
    public Conv2d(WeightMap weights, int inChannels, int outChannels, int kernelSize, Conv2dParams parameters)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Parameters = parameters;
        Weight = weights.Get("weight", new Shape(outChannels, inChannels, kernelSize, kernelSize));
        Bias = weights.Get("bias", new Shape(outChannels));
    }

    /// <summary>[out, in, k, k]</summary>
    public Tensor Weight { get; }

    /// <summary>[out]</summary>
    public Tensor Bias { get; }

    /// <summary>Stride and padding.</summary>
    public Conv2dParams Parameters { get; }

    /// <param name="x">[N, in, H, W]</param>
    /// <returns>[N, out, OH, OW] in x's dtype.</returns>
    public Tensor Forward(Tensor x) => Ops.Conv2d(x, Weight, Bias, Parameters);

    /// <inheritdoc/>
    public void Dispose()
    {
        Weight.Dispose();
        Bias.Dispose();
    }
}
