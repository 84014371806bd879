using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models;

/// <summary>x / √(mean(x²) + eps) · weight over the last dimension, statistics in f32 (HF Qwen3RMSNorm, diffusers RMSNorm).</summary>
public sealed class RmsNorm : IDisposable
{
    /// <summary>Loads <c>weight</c> [<paramref name="dim"/>].</summary>
    public RmsNorm(WeightMap weights, int dim, float eps)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Weight = weights.Get("weight", new Shape(dim));
        Eps = eps;
    }

    /// <summary>[dim]</summary>
    public Tensor Weight { get; }

    /// <summary>Added to the mean square.</summary>
    public float Eps { get; }

    /// <param name="x">[..., dim]</param>
    public Tensor Forward(Tensor x) => Ops.RmsNorm(x, Weight, Eps);

    /// <inheritdoc/>
    public void Dispose() => Weight.Dispose();
}
