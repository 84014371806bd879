using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.ZImage;

/// <summary>
/// Non-causal multi-head self-attention of the S3-DiT: bias-free q/k/v/out projections, per-head RMSNorm on q and k,
/// then interleaved (complex-pair) RoPE on q and k, then softmax(q·kᵀ/√d)·v.
/// </summary>
/// <remarks>
/// Reference: diffusers <c>Attention(qk_norm="rms_norm", eps=1e-5, bias=False, out_bias=False)</c> with
/// <c>ZSingleStreamAttnProcessor</c>. <c>n_kv_heads</c> is ignored as diffusers ignores it: k and v have all heads.
/// </remarks>
public sealed class ZImageAttention : IDisposable
{
    /// <summary>
    /// Epsilon of the q/k norms: diffusers hard-codes 1e-5 here instead of <c>norm_eps</c> (ComfyUI's finfo.eps
    /// differs; spec trap 5), so it is a constant, not a config value.
    /// </summary>
    public const float QkNormEps = 1e-5f;

    private readonly int _heads;
    private readonly int _headDim;
    private readonly Linear _q;
    private readonly Linear _k;
    private readonly Linear _v;
    private readonly Linear _out;
    private readonly RmsNorm? _normQ;
    private readonly RmsNorm? _normK;

    /// <summary>Loads <c>to_q, to_k, to_v, to_out.0</c> and, with qk_norm, <c>norm_q, norm_k</c> under <paramref name="weights"/> (<c>attention</c>).</summary>
    public ZImageAttention(ZImageTransformerConfig config, WeightMap weights)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        _heads = config.NHeads;
        _headDim = config.HeadDim;
        int dim = config.Dim;
        int inner = _heads * _headDim;
        _q = new Linear(weights.Sub("to_q"), dim, inner, bias: false);
        _k = new Linear(weights.Sub("to_k"), dim, inner, bias: false);
        _v = new Linear(weights.Sub("to_v"), dim, inner, bias: false);
        _out = new Linear(weights.Sub("to_out").Sub("0"), inner, dim, bias: false);
        if (config.QkNorm)
        {
            _normQ = new RmsNorm(weights.Sub("norm_q"), _headDim, QkNormEps);
            _normK = new RmsNorm(weights.Sub("norm_k"), _headDim, QkNormEps);
        }
    }

    /// <param name="x">[B, S, dim]</param>
    /// <param name="cos">[B or 1, S, headDim/2] RoPE cosines.</param>
    /// <param name="sin">[B or 1, S, headDim/2] RoPE sines.</param>
    /// <param name="keyMask">U8 [B, S], 1 = attend, or null when no item of the batch is padded.</param>
    /// <returns>[B, S, dim]</returns>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? keyMask)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = TensorScope.Begin();
        var (b, s, _) = x.Shape.Dims3();

        // 1. Projections, split into heads: [B, S, H, D].
        Tensor q = _q.Forward(x).Reshape(b, s, _heads, _headDim);
        Tensor k = _k.Forward(x).Reshape(b, s, _heads, _headDim);
        Tensor v = _v.Forward(x).Reshape(b, s, _heads, _headDim);

        // 2. Per-head RMSNorm, then RoPE on the normed q and k (the order matters: the norm's weights are per element, so norm and rotation do not commute).
        if (_normQ is not null && _normK is not null)
        {
            q = _normQ.Forward(q);
            k = _normK.Forward(k);
        }

        q = Ops.Rope(q, cos, sin, RopeLayout.Interleaved);
        k = Ops.Rope(k, cos, sin, RopeLayout.Interleaved);

        // 3. Attention over [B, H, S, D] views; every token (caption/image pad tokens included) is a key unless it is batch padding.
        Tensor attention = Ops.Attention(q.Transpose(1, 2), k.Transpose(1, 2), v.Transpose(1, 2), keyMask, causal: false);

        // 4. Merge heads (the result's [B, S, H, D] transpose is contiguous) and project out.
        Tensor merged = attention.Transpose(1, 2).Reshape(b, s, _heads * _headDim);
        return scope.Keep(_out.Forward(merged));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _q.Dispose();
        _k.Dispose();
        _v.Dispose();
        _out.Dispose();
        _normQ?.Dispose();
        _normK?.Dispose();
    }
}
