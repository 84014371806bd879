using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models;

/// <summary>y = x·Wᵀ + b with W in PyTorch's [out, in] order; the weight keeps its checkpoint dtype (bf16 stays bf16).</summary>
public sealed class Linear : IDisposable
{
    /// <summary>Loads <c>weight</c> [out, in] and, when <paramref name="bias"/>, <c>bias</c> [out] under <paramref name="weights"/>.</summary>
    public Linear(WeightMap weights, int inFeatures, int outFeatures, bool bias)
    {
        ArgumentNullException.ThrowIfNull(weights);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = weights.Get("weight", new Shape(outFeatures, inFeatures));
        Bias = bias ? weights.Get("bias", new Shape(outFeatures)) : null;
    }

    /// <summary>Input width.</summary>
    public int InFeatures { get; }

    /// <summary>Output width.</summary>
    public int OutFeatures { get; }

    /// <summary>[out, in]</summary>
    public Tensor Weight { get; }

    /// <summary>[out] or null.</summary>
    public Tensor? Bias { get; }

    /// <param name="x">[..., in]</param>
    /// <returns>[..., out] in x's dtype.</returns>
    public Tensor Forward(Tensor x) => Ops.Linear(x, Weight, Bias);

    /// <inheritdoc/>
    public void Dispose()
    {
        Weight.Dispose();
        Bias?.Dispose();
    }
}
