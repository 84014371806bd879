using ZImageSharp.Tensors;

namespace ZImageSharp.Testing;

/// <summary>
/// Every tolerance the op tests use, in one place. The reference is <see cref="NaiveOps"/> (double accumulation) fed
/// the very same (dtype-rounded) input values, so the only error is the kernel's own f32 arithmetic plus the final
/// rounding to the output dtype. A loosening needs a comment with the measured error that justifies it.
/// </summary>
public static class Tolerances
{
    /// <summary>Half a unit in the last place of f32 relative to the value: the correctly rounded result.</summary>
    private const double F32Ulp = 1.2e-7;

    /// <summary>One bf16 rounding step relative to the value (2^-8), plus slack for f32 arithmetic before it.</summary>
    private const double BF16Rounding = 4.0e-3;

    /// <summary>One f16 rounding step relative to the value (2^-11).</summary>
    private const double F16Rounding = 5.0e-4;

    /// <summary>One bf16 unit in the last place relative to the value (2^-7), plus slack for f32 arithmetic.</summary>
    private const double BF16Ulp = 7.9e-3;

    /// <summary>One f16 unit in the last place relative to the value (2^-10), plus slack for f32 arithmetic.</summary>
    private const double F16Ulp = 1.0e-3;

    /// <summary>Copies and casts: exact for same-dtype copies, one rounding of the target dtype otherwise.</summary>
    public static Tolerance Copy(DType target) => target switch
    {
        DType.BF16 => new(0, BF16Rounding / 2, 1e-5),
        DType.F16 => new(0, F16Rounding / 2, 1e-7),
        _ => Tolerance.Exact,
    };

    /// <summary>Arithmetic element-wise ops (add, mul, affine, clamp ...): correctly rounded in f32.</summary>
    public static Tolerance Elementwise(DType output) => WithOutput(output, new Tolerance(1e-30, 2 * F32Ulp, 1e-13));

    /// <summary>Transcendental element-wise ops (exp, tanh, silu, gelu ...): vectorised approximations within a few ulp.</summary>
    public static Tolerance Transcendental(DType output) => WithOutput(output, new Tolerance(1e-6, 4e-6, 1e-11));

    /// <summary>The CPU backend's f32 erf approximation against the double reference: 2 ulp relative to the value
    /// (2·2^-23). Measured on every 3rd f32 in [2^-40, 8]: at most 1.40 ulp with FMA; every 7th without FMA: 1.47 ulp.</summary>
    public static Tolerance Erf { get; } = new(0, 2.4e-7, 1e-13);

    /// <summary>GELU for x in [−5.6, −1], relative only: values fall to 1e-7 there, where an absolute bound would hide
    /// any error; 1 + erf comes from erfc, not from a cancelling 1 + (−1 + ε). Measured at most 3.3e-6 relative (every
    /// 37th f32 of the range, with and without FMA).</summary>
    public static Tolerance GeluNegativeTail { get; } = new(0, 4e-6, 1e-11);

    /// <summary>Row ops (norms, softmax, rope, reductions): f32 accumulation of up to a few thousand terms.</summary>
    public static Tolerance RowOp(DType output) => WithOutput(output, new Tolerance(1e-6, 1e-5, 1e-10));

    /// <summary>Products (matmul, conv, attention): f32 accumulation over K terms in a blocked order.</summary>
    public static Tolerance Product(DType output) => WithOutput(output, new Tolerance(1e-5, 1e-4, 1e-9));

    /// <summary>Fused op against its composite on the same backend: both f32, different association of sums. With a
    /// 16-bit output each side rounds on its own (the composite sometimes twice, e.g. silu(gate) is stored before the
    /// product), so the two may land one unit in the last place apart, twice the one-rounding bound: measured 7.7e-3
    /// relative for SwiGLU in BF16, 1.93× <see cref="BF16Rounding"/>.</summary>
    public static Tolerance FusedVsComposite(DType output) => output switch
    {
        DType.BF16 => new(1e-5 + 1e-6, BF16Ulp, 2e-5),
        DType.F16 => new(1e-5 + 1e-7, F16Ulp, 1e-6),
        _ => new(1e-5, 1e-5, 1e-10),
    };

    private static Tolerance WithOutput(DType output, Tolerance f32) => output switch
    {
        // The f32 result is rounded once more to the output type; the bf16 step dominates any f32 error.
        DType.BF16 => new(f32.Absolute + 1e-6, BF16Rounding, 2e-5),
        DType.F16 => new(f32.Absolute + 1e-7, F16Rounding, 1e-6),
        _ => f32,
    };
}
