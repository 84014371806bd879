using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Vae;

/// <summary>
/// The VAE mid-block self-attention (diffusers <c>Attention</c> with one head of width C, GroupNorm first, residual;
/// BFL <c>AttnBlock</c>): tokens are the H·W pixels in row-major order, q/k/v/out are Linear layers over channels,
/// softmax(q·kᵀ/√C)·v.
/// </summary>
public sealed class MidBlockAttention : IDisposable
{
    private readonly GroupNorm _groupNorm;
    private readonly Linear _toQ;
    private readonly Linear _toK;
    private readonly Linear _toV;
    private readonly Linear _toOut;

    /// <summary>Loads <c>group_norm, to_q, to_k, to_v, to_out.0</c> (weights [C, C] with biases) under <paramref name="weights"/>.</summary>
    public MidBlockAttention(WeightMap weights, int channels, int groups, float eps)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Channels = channels;
        _groupNorm = new GroupNorm(weights.Sub("group_norm"), groups, channels, eps);
        _toQ = new Linear(weights.Sub("to_q"), channels, channels, bias: true);
        _toK = new Linear(weights.Sub("to_k"), channels, channels, bias: true);
        _toV = new Linear(weights.Sub("to_v"), channels, channels, bias: true);
        _toOut = new Linear(weights.Sub("to_out").Sub("0"), channels, channels, bias: true);
    }

    /// <summary>Channels C (also the head width).</summary>
    public int Channels { get; }

    /// <param name="x">[N, C, H, W]</param>
    /// <returns>x + attention(x), [N, C, H, W].</returns>
    public Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = TensorScope.Begin();
        var (n, c, height, width) = x.Shape.Dims4();
        int tokens = height * width;

        // [N, C, H·W] viewed as [N, H·W, C]: the projections read the transposed view without a copy.
        Tensor normed = _groupNorm.Forward(x).Reshape(n, c, tokens).Transpose(1, 2);
        Tensor q = _toQ.Forward(normed).Unsqueeze(1);
        Tensor k = _toK.Forward(normed).Unsqueeze(1);
        Tensor v = _toV.Forward(normed).Unsqueeze(1);

        // One head: [N, 1, S, C]; the scale is diffusers' dim_head**-0.5 rounded once to f32. The result's
        // Transpose(1, 2) is contiguous [N, S, 1, C] = [N, S, C].
        Tensor attended = Ops.Attention(q, k, v, scale: (float)Math.Pow(c, -0.5)).Transpose(1, 2).Reshape(n, tokens, c);
        Tensor projected = _toOut.Forward(attended);

        // Back to [N, C, H, W] (a strided view) for the residual, as diffusers' transpose(-1, -2).reshape(...).
        return scope.Keep(x + projected.Transpose(1, 2).Reshape(n, c, height, width));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _groupNorm.Dispose();
        _toQ.Dispose();
        _toK.Dispose();
        _toV.Dispose();
        _toOut.Dispose();
    }
}
