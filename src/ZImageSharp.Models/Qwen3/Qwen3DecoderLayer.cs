using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Qwen3;

/// <summary>One pre-norm decoder layer: h = x + attn(norm(x)); out = h + mlp(norm(h)).</summary>
public sealed class Qwen3DecoderLayer : IDisposable
{
    private readonly RmsNorm _inputNorm;
    private readonly Qwen3Attention _attention;
    private readonly RmsNorm _postAttentionNorm;
    private readonly Qwen3Mlp _mlp;

    /// <summary>Loads one layer (<c>layers.{i}</c>).</summary>
    public Qwen3DecoderLayer(Qwen3Config config, WeightMap weights)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        _inputNorm = new RmsNorm(weights.Sub("input_layernorm"), config.HiddenSize, config.RmsNormEps);
        _attention = new Qwen3Attention(config, weights.Sub("self_attn"));
        _postAttentionNorm = new RmsNorm(weights.Sub("post_attention_layernorm"), config.HiddenSize, config.RmsNormEps);
        _mlp = new Qwen3Mlp(config, weights.Sub("mlp"));
    }

    /// <param name="x">[B, L, hidden]</param>
    /// <param name="cos">[1, L, headDim/2]</param>
    /// <param name="sin">[1, L, headDim/2]</param>
    /// <param name="keyMask">U8 [B, L] or null.</param>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? keyMask)
    {
        using var scope = TensorScope.Begin();
        Tensor h = x + _attention.Forward(_inputNorm.Forward(x), cos, sin, keyMask);
        return scope.Keep(h + _mlp.Forward(_postAttentionNorm.Forward(h)));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _inputNorm.Dispose();
        _attention.Dispose();
        _postAttentionNorm.Dispose();
        _mlp.Dispose();
    }
}
