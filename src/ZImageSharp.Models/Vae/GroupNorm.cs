using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Vae;

/// <summary>PyTorch <c>nn.GroupNorm</c> with affine parameters: per sample, channels in contiguous groups, biased variance, f32 statistics.</summary>
public sealed class GroupNorm : IDisposable
{
    /// <summary>Loads <c>weight</c> and <c>bias</c> [<paramref name="channels"/>] under <paramref name="weights"/>.</summary>
    public GroupNorm(WeightMap weights, int groups, int channels, float eps)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Groups = groups;
        Eps = eps;
        Weight = weights.Get("weight", new Shape(channels));
        Bias = weights.Get("bias", new Shape(channels));
    }

    /// <summary>Number of groups.</summary>
    public int Groups { get; }

    /// <summary>Added to the variance.</summary>
    public float Eps { get; }

    /// <summary>[C]</summary>
    public Tensor Weight { get; }

    /// <summary>[C]</summary>
    public Tensor Bias { get; }

    /// <param name="x">[N, C, H, W]</param>
    /// <returns>x's shape and dtype.</returns>
    public Tensor Forward(Tensor x) => Ops.GroupNorm(x, Groups, Weight, Bias, Eps);

    /// <summary>silu(norm(x)), releasing the normalised tensor before returning (one full-size temporary instead of two).</summary>
    /// <param name="x">[N, C, H, W]</param>
    public Tensor ForwardSilu(Tensor x)
    {
        using Tensor normed = Forward(x);
        return Ops.Silu(normed);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Weight.Dispose();
        Bias.Dispose();
    }
}
