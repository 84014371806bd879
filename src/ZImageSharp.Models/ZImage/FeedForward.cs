using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.ZImage;

/// <summary>The SwiGLU feed-forward of a DiT block: w2(silu(w1·x) ⊙ w3·x), no biases.</summary>
/// <remarks>Reference: diffusers <c>transformer_z_image.py</c> <c>FeedForward</c>.</remarks>
public sealed class FeedForward : IDisposable
{
    private readonly Linear _w1;
    private readonly Linear _w2;
    private readonly Linear _w3;

    /// <summary>Loads <c>w1, w2, w3</c> under <paramref name="weights"/> (<c>feed_forward</c>).</summary>
    /// <param name="weights">The block's feed-forward weights.</param>
    /// <param name="dim">Model width.</param>
    /// <param name="hidden">Hidden width, int(dim/3·8).</param>
    public FeedForward(WeightMap weights, int dim, int hidden)
    {
        ArgumentNullException.ThrowIfNull(weights);
        _w1 = new Linear(weights.Sub("w1"), dim, hidden, bias: false);
        _w2 = new Linear(weights.Sub("w2"), hidden, dim, bias: false);
        _w3 = new Linear(weights.Sub("w3"), dim, hidden, bias: false);
    }

    /// <param name="x">[..., dim]</param>
    /// <returns>[..., dim]</returns>
    public Tensor Forward(Tensor x)
    {
        using var scope = TensorScope.Begin();
        return scope.Keep(_w2.Forward(Ops.SwiGlu(_w1.Forward(x), _w3.Forward(x))));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _w1.Dispose();
        _w2.Dispose();
        _w3.Dispose();
    }
}
