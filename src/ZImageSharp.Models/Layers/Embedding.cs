using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models;

/// <summary>A lookup table [count, dim]: row i is the vector of id i.</summary>
public sealed class Embedding : IDisposable
{
    /// <summary>Loads <c>weight</c> [<paramref name="count"/>, <paramref name="dim"/>].</summary>
    public Embedding(WeightMap weights, int count, int dim)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Weight = weights.Get("weight", new Shape(count, dim));
    }

    /// <summary>[count, dim]</summary>
    public Tensor Weight { get; }

    /// <param name="ids">Integer ids of any shape [...].</param>
    /// <param name="dtype">Result dtype (the table's when null).</param>
    /// <returns>[..., dim]</returns>
    public Tensor Forward(Tensor ids, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(ids);
        using var scope = TensorScope.Begin();
        Tensor flat = ids.Reshape(-1);
        Tensor rows = Ops.IndexSelect(Weight, flat, 0);
        if (dtype is { } d && d != rows.DType)
        {
            rows = Ops.Cast(rows, d);
        }

        int[] shape = [.. ids.Shape.Dims, Weight.Shape[1]];
        return scope.Keep(rows.Reshape(shape));
    }

    /// <inheritdoc/>
    public void Dispose() => Weight.Dispose();
}
