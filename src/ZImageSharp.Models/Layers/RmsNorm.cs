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

    /// <summary>residual + Forward(x)·scale in one pass (no intermediate tensors).</summary>
    /// <param name="x">[..., dim]</param>
    /// <param name="scale">Broadcastable to x (e.g. [B, 1, dim]) or null.</param>
    /// <param name="residual">x's shape, or null.</param>
    public Tensor Forward(Tensor x, Tensor? scale, Tensor? residual) => Ops.RmsNorm(x, Weight, Eps, scale, residual);

    /// <inheritdoc/>
    public void Dispose() => Weight.Dispose();
}
