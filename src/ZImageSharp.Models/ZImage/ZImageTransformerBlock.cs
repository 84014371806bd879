using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.ZImage;

/// <summary>
/// One S3-DiT block with "sandwich" RMSNorms around attention and the feed-forward. Modulated blocks (noise refiner,
/// main layers) scale the pre-norm outputs by 1 + scale and gate the residual branches by tanh(gate), both from one
/// Linear of the timestep embedding; un-modulated blocks (context refiner) skip both.
/// </summary>
/// <remarks>Reference: diffusers <c>transformer_z_image.py</c> <c>ZImageTransformerBlock</c>.</remarks>
public sealed class ZImageTransformerBlock : IDisposable
{
    private readonly RmsNorm _attentionNorm1;
    private readonly RmsNorm _attentionNorm2;
    private readonly RmsNorm _ffnNorm1;
    private readonly RmsNorm _ffnNorm2;
    private readonly ZImageAttention _attention;
    private readonly FeedForward _feedForward;
    private readonly Linear? _adaLnModulation;

    /// <summary>Loads one block (<c>layers.{i}</c>, <c>noise_refiner.{i}</c> or <c>context_refiner.{i}</c>).</summary>
    /// <param name="config">The transformer configuration.</param>
    /// <param name="weights">The block's weights.</param>
    /// <param name="modulated">Whether the block has <c>adaLN_modulation.0</c> (false for the context refiner).</param>
    public ZImageTransformerBlock(ZImageTransformerConfig config, WeightMap weights, bool modulated)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        int dim = config.Dim;
        _attention = new ZImageAttention(config, weights.Sub("attention"));
        _feedForward = new FeedForward(weights.Sub("feed_forward"), dim, config.FfnHidden);
        _attentionNorm1 = new RmsNorm(weights.Sub("attention_norm1"), dim, config.NormEps);
        _attentionNorm2 = new RmsNorm(weights.Sub("attention_norm2"), dim, config.NormEps);
        _ffnNorm1 = new RmsNorm(weights.Sub("ffn_norm1"), dim, config.NormEps);
        _ffnNorm2 = new RmsNorm(weights.Sub("ffn_norm2"), dim, config.NormEps);

        // A container holding only the Linear: unlike Lumina-2 and the final layer there is no SiLU before it (spec trap 8).
        _adaLnModulation = modulated ? new Linear(weights.Sub("adaLN_modulation").Sub("0"), config.AdaLnDim, 4 * dim, bias: true) : null;
    }

    /// <summary>Whether the block is modulated by the timestep embedding.</summary>
    public bool IsModulated => _adaLnModulation is not null;

    /// <param name="x">[B, S, dim]</param>
    /// <param name="cos">[B or 1, S, headDim/2] RoPE cosines.</param>
    /// <param name="sin">[B or 1, S, headDim/2] RoPE sines.</param>
    /// <param name="keyMask">U8 [B, S] (1 = attend) or null.</param>
    /// <param name="adaLnInput">[B, min(dim, 256)] timestep embedding; required when <see cref="IsModulated"/>, ignored otherwise.</param>
    /// <returns>[B, S, dim]</returns>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? keyMask, Tensor? adaLnInput)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = TensorScope.Begin();
        if (_adaLnModulation is null)
        {
            // Un-modulated: x += norm2(attn(norm1(x))); x += norm2(ffn(norm1(x))) (each post-norm fused with its add).
            Tensor h = _attentionNorm2.Forward(_attention.Forward(_attentionNorm1.Forward(x), cos, sin, keyMask), scale: null, residual: x);
            return scope.Keep(_ffnNorm2.Forward(_feedForward.Forward(_ffnNorm1.Forward(h)), scale: null, residual: h));
        }

        ArgumentNullException.ThrowIfNull(adaLnInput);

        // 1. [B, 4·dim] → scale_msa, gate_msa, scale_mlp, gate_mlp, each [B, 1, dim] to broadcast over tokens.
        Tensor[] chunks = _adaLnModulation.Forward(adaLnInput).Unsqueeze(1).Chunk(4, -1);
        Tensor scaleMsa = 1f + chunks[0];
        Tensor gateMsa = Ops.Tanh(chunks[1]);
        Tensor scaleMlp = 1f + chunks[2];
        Tensor gateMlp = Ops.Tanh(chunks[3]);

        // 2. x += tanh(gate_msa) · norm2(attn(norm1(x) · (1 + scale_msa)))  — no shift term. Each norm is fused with
        //    the modulation or the gated residual add that follows it (the same rounding as the separate ops).
        Tensor attention = _attention.Forward(_attentionNorm1.Forward(x, scale: scaleMsa, residual: null), cos, sin, keyMask);
        Tensor y = _attentionNorm2.Forward(attention, scale: gateMsa, residual: x);

        // 3. x += tanh(gate_mlp) · norm2(ffn(norm1(x) · (1 + scale_mlp))).
        Tensor ffn = _feedForward.Forward(_ffnNorm1.Forward(y, scale: scaleMlp, residual: null));
        return scope.Keep(_ffnNorm2.Forward(ffn, scale: gateMlp, residual: y));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _attention.Dispose();
        _feedForward.Dispose();
        _attentionNorm1.Dispose();
        _attentionNorm2.Dispose();
        _ffnNorm1.Dispose();
        _ffnNorm2.Dispose();
        _adaLnModulation?.Dispose();
    }
}
