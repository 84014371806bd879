using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.ZImage;

/// <summary>
/// The output head: LayerNorm without affine (eps 1e-6) scaled by 1 + Linear(SiLU(c)), then Linear(dim → patch
/// vector). Unlike the blocks' adaLN, this one has a SiLU (hence the key index <c>adaLN_modulation.1</c>).
/// </summary>
/// <remarks>Reference: diffusers <c>transformer_z_image.py</c> <c>FinalLayer</c> (<c>all_final_layer.{p}-{pF}</c>).</remarks>
public sealed class FinalLayer : IDisposable
{
    /// <summary>Epsilon of <c>norm_final</c> (fixed in the reference, not <c>norm_eps</c>).</summary>
    public const float NormEps = 1e-6f;

    private readonly Linear _adaLnModulation;
    private readonly Linear _linear;

    /// <summary>Loads <c>adaLN_modulation.1</c> and <c>linear</c> under <paramref name="weights"/>.</summary>
    /// <param name="config">The transformer configuration.</param>
    /// <param name="weights">The final layer's weights (<c>all_final_layer.2-1</c>).</param>
    public FinalLayer(ZImageTransformerConfig config, WeightMap weights)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        _adaLnModulation = new Linear(weights.Sub("adaLN_modulation").Sub("1"), config.AdaLnDim, config.Dim, bias: true);
        _linear = new Linear(weights.Sub("linear"), config.Dim, config.PatchVectorLength, bias: true);
    }

    /// <param name="x">[B, S, dim]</param>
    /// <param name="adaLnInput">[B, min(dim, 256)] timestep embedding.</param>
    /// <returns>[B, S, pF·p·p·C]</returns>
    public Tensor Forward(Tensor x, Tensor adaLnInput)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(adaLnInput);
        using var scope = TensorScope.Begin();
        Tensor scale = (1f + _adaLnModulation.Forward(Ops.Silu(adaLnInput))).Unsqueeze(1);
        Tensor normed = Ops.LayerNorm(x, weight: null, bias: null, NormEps) * scale;
        return scope.Keep(_linear.Forward(normed));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _adaLnModulation.Dispose();
        _linear.Dispose();
    }
}
