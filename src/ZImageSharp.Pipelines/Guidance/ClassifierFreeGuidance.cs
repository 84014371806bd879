using ZImageSharp.Tensors;

namespace ZImageSharp.Pipelines.Guidance;

/// <summary>
/// Classifier-free guidance as the Z-Image pipeline applies it (diffusers <c>ZImagePipeline.__call__</c>): the
/// enable rule, CFG truncation and CFG normalization, with the reference's float32 order of operations.
/// </summary>
/// <remarks>
/// The knobs are doubles because they are Python floats in the reference: the guidance scale and the normalization
/// factor are rounded to float32 where they meet float32 tensors, and the truncation is compared with the float32
/// model timestep in double precision, as Python compares them.
/// </remarks>
public static class ClassifierFreeGuidance
{
    /// <summary>
    /// Whether a generation uses CFG at all: guidance scale &gt; 0 (diffusers since 97c2c6e397; older diffusers and
    /// Tongyi's pipeline used &gt; 1). When true every step that <see cref="IsActive"/> runs the negative prompt too.
    /// </summary>
    public static bool IsEnabled(double guidanceScale) => guidanceScale > 0;

    /// <summary>Whether step i runs with CFG: it is enabled and not truncated at this step.</summary>
    /// <param name="guidanceScale">g.</param>
    /// <param name="modelTimestep">t_norm = (1000 − tᵢ) / 1000 of the step (<c>FlowMatchSchedule.ModelTimesteps</c>), 0 at pure noise.</param>
    /// <param name="cfgTruncation">CFG is switched off for steps with t_norm &gt; this; only values ≤ 1 truncate (1.0 = never).</param>
    public static bool IsActive(double guidanceScale, float modelTimestep, double cfgTruncation)
    {
        if (!IsEnabled(guidanceScale))
        {
            return false;
        }

        // t_norm is timestep[0].item(): the float32 value read as a Python float.
        return !(cfgTruncation <= 1 && (double)modelTimestep > cfgTruncation);
    }

    /// <summary>
    /// pred = pos + g·(pos − neg) in float32; then, when <paramref name="normalization"/> c &gt; 0, every sample whose
    /// ‖pred‖ exceeds c·‖pos‖ is scaled by (c·‖pos‖) / ‖pred‖.
    /// </summary>
    /// <param name="positive">Model output for the prompt, [B, ...]; dimension 0 indexes samples (use [1, ...] for one).</param>
    /// <param name="negative">Model output for the negative prompt, same shape.</param>
    /// <param name="guidanceScale">g (diffusers' guidance_scale; pred = pos + g·(pos − neg) is standard CFG with scale 1 + g).</param>
    /// <param name="normalization">c (cfg_normalization; 0 or less = off, <c>True</c> = 1). Norms are L2 over each whole
    /// sample, summed as PyTorch's CPU kernel sums them (the outputs are read back to the host for it).</param>
    /// <returns>The guided output, float32, same shape.</returns>
    public static Tensor Apply(Tensor positive, Tensor negative, double guidanceScale, double normalization)
    {
        ArgumentNullException.ThrowIfNull(positive);
        ArgumentNullException.ThrowIfNull(negative);
        if (positive.Shape != negative.Shape)
        {
            throw new ShapeMismatchException("cfg", $"positive {positive.Shape} and negative {negative.Shape} differ.");
        }

        if (positive.Rank < 1)
        {
            throw new ShapeMismatchException("cfg", "the outputs need a leading sample dimension, found a scalar.");
        }

        using var scope = TensorScope.Begin();
        Tensor pos = ToF32(positive);
        Tensor neg = ToF32(negative);

        // pos + g·(pos − neg): three float32 roundings in this order (not neg + (1+g)·(pos − neg)).
        Tensor guided = Ops.Add(pos, Scale(Ops.Sub(pos, neg), (float)guidanceScale));
        if (normalization > 0 && guided.ElementCount > 0)
        {
            guided = Renormalize(pos, guided, (float)normalization);
        }

        return scope.Keep(guided);
    }

    // if ‖pred‖ > ‖pos‖·c: pred *= (‖pos‖·c) / ‖pred‖, per sample, in float32. The norms are summed on the host the
    // way PyTorch's kernel sums them (TorchVectorNorm), so the factor is the reference's to the last bit; the
    // reference reads them on the host too (the `if` needs them). Samples left alone are multiplied by exactly 1,
    // which changes no bit, so the whole batch takes one multiply on the backend.
    private static Tensor Renormalize(Tensor pos, Tensor guided, float c)
    {
        int batch = pos.Shape[0];
        int sampleSize = checked((int)(pos.ElementCount / batch));
        float[] posValues = pos.ToFloatArray();
        float[] guidedValues = guided.ToFloatArray();
        var factors = new float[batch];
        for (int b = 0; b < batch; b++)
        {
            float posNorm = TorchVectorNorm.L2(posValues.AsSpan(b * sampleSize, sampleSize));
            float guidedNorm = TorchVectorNorm.L2(guidedValues.AsSpan(b * sampleSize, sampleSize));
            float maxNorm = posNorm * c;
            factors[b] = guidedNorm > maxNorm ? maxNorm / guidedNorm : 1f;
        }

        if (factors.All(f => f == 1f))
        {
            return guided;
        }

        int[] factorShape = new int[pos.Rank];
        Array.Fill(factorShape, 1);
        factorShape[0] = batch;
        return Ops.Mul(guided, Tensor.From<float>(pos.Backend, factors, new Shape(factorShape)));
    }

    // x·s as a float32 tensor product, like a Python scalar times a float32 tensor.
    private static Tensor Scale(Tensor x, float s) => Ops.Mul(x, Tensor.Full(x.Backend, Shape.Scalar, s));

    private static Tensor ToF32(Tensor t) => t.DType == DType.F32 ? t : Ops.Cast(t, DType.F32);
}
