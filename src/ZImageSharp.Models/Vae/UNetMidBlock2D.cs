using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Vae;

/// <summary>diffusers <c>UNetMidBlock2D</c> as the VAE uses it: resnet → attention (optional) → resnet at one width.</summary>
public sealed class UNetMidBlock2D : IDisposable
{
    private readonly ResnetBlock2D _resnet0;
    private readonly MidBlockAttention? _attention;
    private readonly ResnetBlock2D _resnet1;

    /// <summary>Loads <c>resnets.0</c>, <c>attentions.0</c> (when <paramref name="addAttention"/>) and <c>resnets.1</c>.</summary>
    public UNetMidBlock2D(WeightMap weights, int channels, int groups, float eps, bool addAttention)
    {
        ArgumentNullException.ThrowIfNull(weights);
        WeightMap resnets = weights.Sub("resnets");
        _resnet0 = new ResnetBlock2D(resnets.Sub("0"), channels, channels, groups, eps);
        _attention = addAttention ? new MidBlockAttention(weights.Sub("attentions").Sub("0"), channels, groups, eps) : null;
        _resnet1 = new ResnetBlock2D(resnets.Sub("1"), channels, channels, groups, eps);
    }

    /// <param name="x">[N, C, H, W]</param>
    /// <param name="consumeInput">Dispose <paramref name="x"/> once it is no longer needed.</param>
    /// <param name="trace">Receives <c>resnets.0</c>, <c>attentions.0</c> and <c>resnets.1</c>, or null.</param>
    /// <returns>[N, C, H, W]</returns>
    public Tensor Forward(Tensor x, bool consumeInput = false, VaeTrace? trace = null)
    {
        using var scope = TensorScope.Begin();
        Tensor h = _resnet0.Forward(x, consumeInput);
        trace?.Record("resnets.0", h);
        if (_attention is not null)
        {
            h = Activations.Replace(h, _attention.Forward(h));
            trace?.Record("attentions.0", h);
        }

        h = _resnet1.Forward(h, consumeInput: true);
        trace?.Record("resnets.1", h);
        return scope.Keep(h);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _resnet0.Dispose();
        _attention?.Dispose();
        _resnet1.Dispose();
    }
}
