using System.Runtime.Intrinsics;

namespace ZImageSharp.Cpu;

// Operators of the row kernels (norms, softmax), each one pass over a row that is already in cache.

/// <summary>
/// ((x − meanHigh) − meanLow)·scale + shift for layer and group norms. The f64 mean is split into two f32 parts, so
/// x − mean is exact to f32 rounding of the difference itself (x − meanHigh is exact near the mean by Sterbenz's
/// lemma): the centred value keeps its relative accuracy however large the mean is against the spread, and a constant
/// row gives exactly 0 (then the bias) rather than a rounding residue magnified by 1/√eps. The final multiply-add
/// need not be fused (no cancellation is left), so it fuses only where the CPU has FMA.
/// </summary>
internal readonly struct NormalizeOperator : IUnaryOperator
{
    private readonly float _meanHigh;
    private readonly float _meanLow;
    private readonly float _scale;
    private readonly float _shift;

    public NormalizeOperator(double mean, float scale, float shift)
    {
        _meanHigh = (float)mean;
        _meanLow = (float)(mean - _meanHigh);
        _scale = scale;
        _shift = shift;
    }

    public Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.MultiplyAddEstimate(x - Vector128.Create(_meanHigh) - Vector128.Create(_meanLow), Vector128.Create(_scale), Vector128.Create(_shift));

    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.MultiplyAddEstimate(x - Vector256.Create(_meanHigh) - Vector256.Create(_meanLow), Vector256.Create(_scale), Vector256.Create(_shift));

    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.MultiplyAddEstimate(x - Vector512.Create(_meanHigh) - Vector512.Create(_meanLow), Vector512.Create(_scale), Vector512.Create(_shift));
}

/// <summary>((x − meanHigh) − meanLow)·scale·weight + bias: a whole affine LayerNorm row in one pass (see
/// <see cref="NormalizeOperator"/> for the two-part mean).</summary>
internal readonly struct NormalizeAffineOperator : ITernaryOperator
{
    private readonly float _meanHigh;
    private readonly float _meanLow;
    private readonly float _scale;

    public NormalizeAffineOperator(double mean, float scale)
    {
        _meanHigh = (float)mean;
        _meanLow = (float)(mean - _meanHigh);
        _scale = scale;
    }

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z) =>
        Vector128.MultiplyAddEstimate((x - Vector128.Create(_meanHigh) - Vector128.Create(_meanLow)) * Vector128.Create(_scale), y, z);

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z) =>
        Vector256.MultiplyAddEstimate((x - Vector256.Create(_meanHigh) - Vector256.Create(_meanLow)) * Vector256.Create(_scale), y, z);

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z) =>
        Vector512.MultiplyAddEstimate((x - Vector512.Create(_meanHigh) - Vector512.Create(_meanLow)) * Vector512.Create(_scale), y, z);
}

/// <summary>(x·scale)·weight, rounded after each product like the composite RMSNorm.</summary>
internal readonly struct ScaleMultiplyOperator : IBinaryOperator
{
    private readonly float _scale;

    public ScaleMultiplyOperator(float scale) => _scale = scale;

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => x * Vector128.Create(_scale) * y;

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x * Vector256.Create(_scale) * y;

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x * Vector512.Create(_scale) * y;
}

/// <summary>e^(x − shift): softmax's numerators with the row maximum as shift, so no exponent is positive.</summary>
internal readonly struct ExpShiftOperator : IUnaryOperator
{
    private readonly float _shift;

    public ExpShiftOperator(float shift) => _shift = shift;

    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Exp(x - Vector128.Create(_shift));

    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Exp(x - Vector256.Create(_shift));

    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Exp(x - Vector512.Create(_shift));
}
