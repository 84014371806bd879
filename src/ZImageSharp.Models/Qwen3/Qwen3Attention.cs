using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Qwen3;

/// <summary>Qwen3 self-attention: q/k/v projections, per-head RMSNorm on q and k before half-split RoPE, causal GQA.</summary>
/// <remarks>Reference: transformers <c>modeling_qwen3.py</c> <c>Qwen3Attention</c>.</remarks>
public sealed class Qwen3Attention : IDisposable
{
    private readonly Qwen3Config _config;
    private readonly Linear _q;
    private readonly Linear _k;
    private readonly Linear _v;
    private readonly Linear _o;
    private readonly RmsNorm _qNorm;
    private readonly RmsNorm _kNorm;

    /// <summary>Loads <c>q_proj, k_proj, v_proj, o_proj, q_norm, k_norm</c> under <paramref name="weights"/> (<c>self_attn</c>).</summary>
    public Qwen3Attention(Qwen3Config config, WeightMap weights)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        _config = config;
        int qWidth = config.NumAttentionHeads * config.HeadDim;
        int kvWidth = config.NumKeyValueHeads * config.HeadDim;
        _q = new Linear(weights.Sub("q_proj"), config.HiddenSize, qWidth, config.AttentionBias);
        _k = new Linear(weights.Sub("k_proj"), config.HiddenSize, kvWidth, config.AttentionBias);
        _v = new Linear(weights.Sub("v_proj"), config.HiddenSize, kvWidth, config.AttentionBias);
        _o = new Linear(weights.Sub("o_proj"), qWidth, config.HiddenSize, config.AttentionBias);
        _qNorm = new RmsNorm(weights.Sub("q_norm"), config.HeadDim, config.RmsNormEps);
        _kNorm = new RmsNorm(weights.Sub("k_norm"), config.HeadDim, config.RmsNormEps);
    }

    /// <param name="x">[B, L, hidden]</param>
    /// <param name="cos">[1, L, headDim/2]</param>
    /// <param name="sin">[1, L, headDim/2]</param>
    /// <param name="keyMask">U8 [B, L], 1 = real token, or null when nothing is padded.</param>
    /// <returns>[B, L, hidden]</returns>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? keyMask)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = TensorScope.Begin();
        var (b, l, _) = x.Shape.Dims3();
        int d = _config.HeadDim;

        // [B, L, heads·D] → [B, L, heads, D]; norm over D; RoPE; then [B, heads, L, D] views for attention.
        Tensor q = Ops.Rope(_qNorm.Forward(_q.Forward(x).Reshape(b, l, _config.NumAttentionHeads, d)), cos, sin, RopeLayout.HalfSplit);
        Tensor k = Ops.Rope(_kNorm.Forward(_k.Forward(x).Reshape(b, l, _config.NumKeyValueHeads, d)), cos, sin, RopeLayout.HalfSplit);
        Tensor v = _v.Forward(x).Reshape(b, l, _config.NumKeyValueHeads, d);

        Tensor attention = Ops.Attention(q.Transpose(1, 2), k.Transpose(1, 2), v.Transpose(1, 2), keyMask, causal: true);
        Tensor merged = attention.Transpose(1, 2).Reshape(b, l, _config.NumAttentionHeads * d);
        return scope.Keep(_o.Forward(merged));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _q.Dispose();
        _k.Dispose();
        _v.Dispose();
        _o.Dispose();
        _qNorm.Dispose();
        _kNorm.Dispose();
    }
}
