namespace ZImageSharp.Pipelines.Guidance;

/// <summary>
/// <c>torch.linalg.vector_norm(x)</c> (the 2-norm of all elements) of a contiguous float32 tensor, summed in the
/// order and with the roundings of PyTorch's x86-64 CPU kernel, so CFG normalization scales by the reference's
/// factor to the last bit.
/// </summary>
/// <remarks>
/// The kernel (AVX2 dispatch, <c>norm_two_reduce_step</c> in PyTorch 1.13's ReduceOpsKernel.cpp) keeps 8 float32
/// partial sums: element i goes into sum i mod 8 as sum + x·x with one rounding (GCC fuses the vector multiply and
/// add), the 8 sums are then added left to right, elements after the last full 8 are added one by one the same
/// fused way (never the case for latents: 16 channels), and the float32 square root is taken. A more accurate norm
/// (double accumulation) is off by an ulp often enough to move ~1 in 5 elements of a normalized CFG output by one
/// ulp: that is what pipeline-tiny's normalized run shows, and this summation order matches it bit for bit.
/// </remarks>
internal static class TorchVectorNorm
{
    private const int Lanes = 8;

    /// <summary>√(Σ x²) of the elements in row-major order.</summary>
    public static float L2(ReadOnlySpan<float> x)
    {
        Span<float> partial = stackalloc float[Lanes];
        partial.Clear();
        int full = x.Length - (x.Length % Lanes);
        for (int i = 0; i < full; i += Lanes)
        {
            for (int lane = 0; lane < Lanes; lane++)
            {
                float v = x[i + lane];
                partial[lane] = MathF.FusedMultiplyAdd(v, v, partial[lane]);
            }
        }

        float sum = partial[0];
        for (int lane = 1; lane < Lanes; lane++)
        {
            sum += partial[lane];
        }

        for (int i = full; i < x.Length; i++)
        {
            sum = MathF.FusedMultiplyAdd(x[i], x[i], sum);
        }

        return MathF.Sqrt(sum);
    }
}
