using ZImageSharp.Tensors;

namespace ZImageSharp.Verification;

/// <summary>What a case may differ from its reference by: the normalised mean squared error
/// Σ(y − r)² / Σr², and the largest absolute difference relative to the reference's largest magnitude.</summary>
/// <param name="Nmse">The largest NMSE that passes.</param>
/// <param name="MaxAbsRelative">The largest max |y − r| / max |r| that passes.</param>
public sealed record NumericBound(double Nmse, double MaxAbsRelative)
{
    /// <summary>Bit-exact (data movement: copies, fills, gathers, same-dtype).</summary>
    public static NumericBound Exact { get; } = new(0, 0);

    /// <summary>The bound for results stored as <paramref name="output"/>.</summary>
    /// <remarks>
    /// <para>The reference is either the CPU backend (f32 arithmetic, one rounding into the output dtype) or double
    /// loops; a correct kernel differs from it by f32 rounding in another order, plus, for a 16-bit output, the
    /// occasional value that lands on the other side of a rounding boundary.</para>
    /// <para>F32: 1e-10 (an RMS error of 1e-5 relative). f32 sums of up to 4096 products in any order stay near
    /// 1e-13, fast-math transcendentals (__expf, __sinf: ~2 ulp) near 1e-13; TF32 tensor cores (a 10-bit mantissa,
    /// NMSE ~1e-7) fail, as they must for an f32 op. Max abs 1e-5 of the largest reference value.</para>
    /// <para>BF16: 1e-4. One rounding to bf16 has a relative error uniform in ±½ ulp, ulp = 2^-7…2^-8 of the value:
    /// variance ≈ (2^-7.5)²/12 ≈ 2.5e-6. 1e-4 leaves room for ~40 independent bf16 roundings inside a kernel (e.g.
    /// attention probabilities stored as bf16 for the second product) while an error on 1 % of the output's energy
    /// fails. Max abs 2^-6 of the largest value: two bf16 ulps at the top binade.</para>
    /// <para>F16: the same argument with ulp = 2^-10…2^-11: variance ≈ 4e-8, bound 1e-6; max abs 2^-9.</para>
    /// </remarks>
    public static NumericBound For(DType output) => output switch
    {
        DType.BF16 => new(1e-4, 1.0 / 64),
        DType.F16 => new(1e-6, 1.0 / 512),
        DType.F32 => new(1e-10, 1e-5),
        _ => Exact,
    };
}
