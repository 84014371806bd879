using System.Runtime.Intrinsics;

namespace ZImageSharp.Cpu;

// The element-wise functions TensorPrimitives has no primitive for, as operators for SimdLoop.

/// <summary>x·sigmoid(x) = x / (1 + e⁻ˣ); for x below −88 e⁻ˣ overflows to ∞ and the result is −0 (true value &lt; 1e-36).</summary>
internal readonly struct SiluOperator : IUnaryOperator
{
    public Vector128<float> Invoke(Vector128<float> x) => x / (Vector128<float>.One + Vector128.Exp(-x));

    public Vector256<float> Invoke(Vector256<float> x) => x / (Vector256<float>.One + Vector256.Exp(-x));

    public Vector512<float> Invoke(Vector512<float> x) => x / (Vector512<float>.One + Vector512.Exp(-x));
}

/// <summary>silu(gate)·up, the SwiGLU gate, in one pass.</summary>
internal readonly struct SwiGluOperator : IBinaryOperator
{
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => x * y / (Vector128<float>.One + Vector128.Exp(-x));

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x * y / (Vector256<float>.One + Vector256.Exp(-x));

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x * y / (Vector512<float>.One + Vector512.Exp(-x));
}

/// <summary>Exact GELU 0.5·x·(1 + erf(x/√2)) with the vectorised f32 erf of <see cref="ErfMath"/>.</summary>
internal readonly struct GeluOperator : IUnaryOperator
{
    private const float InvSqrt2 = 0.70710678f;

    public Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.Create(0.5f) * x * ErfMath.OnePlusErf(x * Vector128.Create(InvSqrt2));

    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.Create(0.5f) * x * ErfMath.OnePlusErf(x * Vector256.Create(InvSqrt2));

    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.Create(0.5f) * x * ErfMath.OnePlusErf(x * Vector512.Create(InvSqrt2));
}

/// <summary>erf x (exposed so the approximation can be tested on its own).</summary>
internal readonly struct ErfOperator : IUnaryOperator
{
    public Vector128<float> Invoke(Vector128<float> x) => ErfMath.Erf(x);

    public Vector256<float> Invoke(Vector256<float> x) => ErfMath.Erf(x);

    public Vector512<float> Invoke(Vector512<float> x) => ErfMath.Erf(x);
}

/// <summary>scale·x + shift with one rounding (fused multiply-add), so the result is correctly rounded even when
/// scale·x nearly cancels shift.</summary>
internal readonly struct AffineOperator : IUnaryOperator
{
    private readonly float _scale;
    private readonly float _shift;

    public AffineOperator(float scale, float shift)
    {
        _scale = scale;
        _shift = shift;
    }

    public Vector128<float> Invoke(Vector128<float> x) => Vector128.FusedMultiplyAdd(x, Vector128.Create(_scale), Vector128.Create(_shift));

    public Vector256<float> Invoke(Vector256<float> x) => Vector256.FusedMultiplyAdd(x, Vector256.Create(_scale), Vector256.Create(_shift));

    public Vector512<float> Invoke(Vector512<float> x) => Vector512.FusedMultiplyAdd(x, Vector512.Create(_scale), Vector512.Create(_shift));
}
