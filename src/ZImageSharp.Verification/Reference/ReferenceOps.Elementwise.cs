using ZImageSharp.Tensors;

namespace ZImageSharp.Verification.Reference;

// Reference element-wise math in double, straight from the op definitions.
public static partial class ReferenceOps
{
    /// <summary>op(x) per element.</summary>
    public static HostTensor Unary(UnaryOp op, HostTensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            result[i] = Unary(op, x.Data[i]);
        }

        return new HostTensor(x.Shape, result);
    }

    /// <summary>op(v) for one value.</summary>
    public static double Unary(UnaryOp op, double v) => op switch
    {
        UnaryOp.Neg => -v,
        UnaryOp.Abs => Math.Abs(v),
        UnaryOp.Square => v * v,
        UnaryOp.Sqrt => Math.Sqrt(v),
        UnaryOp.Rsqrt => 1.0 / Math.Sqrt(v),
        UnaryOp.Exp => Math.Exp(v),
        UnaryOp.Log => Math.Log(v),
        UnaryOp.Tanh => Math.Tanh(v),
        UnaryOp.Sigmoid => Sigmoid(v),
        UnaryOp.Silu => v * Sigmoid(v),
        UnaryOp.Gelu => 0.5 * v * (1.0 + Erf(v / Math.Sqrt(2.0))),
        UnaryOp.Cos => Math.Cos(v),
        UnaryOp.Sin => Math.Sin(v),
        UnaryOp.Reciprocal => 1.0 / v,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>1/(1+e⁻ˣ).</summary>
    public static double Sigmoid(double v) => 1.0 / (1.0 + Math.Exp(-v));

    /// <summary>
    /// The error function to about 1e-15 relative: the Maclaurin series 2/√π Σ (−1)ⁿ x²ⁿ⁺¹/(n!(2n+1)) for |x| &lt; 2
    /// and 1 − erfc from the continued fraction erfc x = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))) beyond.
    /// </summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        double a = Math.Abs(x);
        if (a >= 2)
        {
            return Math.CopySign(1.0 - ErfcContinuedFraction(a), x);
        }

        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 100; n++)
        {
            term *= -x2 / n;
            double t = term / ((2 * n) + 1);
            sum += t;
            if (Math.Abs(t) < 1e-18 * Math.Abs(sum))
            {
                break;
            }
        }

        return sum * 2.0 / Math.Sqrt(Math.PI);
    }

    private static double ErfcContinuedFraction(double x)
    {
        if (double.IsPositiveInfinity(x))
        {
            return 0;
        }

        // Evaluated from the tail: 300 terms converge to double precision for x ≥ 2.
        double f = x;
        for (int k = 300; k >= 1; k--)
        {
            f = x + (k / 2.0 / f);
        }

        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }

    /// <summary>op(a, b) with NumPy broadcasting (shapes aligned from the right, size-1 dimensions stretched).</summary>
    public static HostTensor Binary(BinaryOp op, HostTensor a, HostTensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int rank = Math.Max(a.Rank, b.Rank);
        int[] shape = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            int sa = DimFromRight(a.Shape, rank - d);
            int sb = DimFromRight(b.Shape, rank - d);
            if (sa != sb && sa != 1 && sb != 1)
            {
                throw new ArgumentException($"Shapes [{string.Join(", ", a.Shape)}] and [{string.Join(", ", b.Shape)}] do not broadcast.");
            }

            shape[d] = Math.Max(sa, sb);
        }

        HostTensor result = HostTensor.Zeros(shape);
        int[] index = new int[rank];
        for (int flat = 0; flat < result.Length; flat++)
        {
            Unflatten(flat, shape, index);
            result.Data[flat] = Binary(op, a.Data[BroadcastIndex(a.Shape, index)], b.Data[BroadcastIndex(b.Shape, index)]);
        }

        return result;
    }

    /// <summary>op(x, y) for one pair.</summary>
    public static double Binary(BinaryOp op, double x, double y) => op switch
    {
        BinaryOp.Add => x + y,
        BinaryOp.Sub => x - y,
        BinaryOp.Mul => x * y,
        BinaryOp.Div => x / y,
        BinaryOp.Maximum => double.IsNaN(x) || double.IsNaN(y) ? double.NaN : Math.Max(x, y),
        BinaryOp.Minimum => double.IsNaN(x) || double.IsNaN(y) ? double.NaN : Math.Min(x, y),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>scale·x + shift.</summary>
    public static HostTensor Affine(HostTensor x, double scale, double shift)
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            result[i] = (scale * x.Data[i]) + shift;
        }

        return new HostTensor(x.Shape, result);
    }

    /// <summary>min(max(x, min), max); NaN stays NaN.</summary>
    public static HostTensor Clamp(HostTensor x, double min, double max)
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double v = x.Data[i];
            result[i] = double.IsNaN(v) ? v : Math.Min(Math.Max(v, min), max);
        }

        return new HostTensor(x.Shape, result);
    }

    /// <summary>silu(gate)·up.</summary>
    public static HostTensor SwiGlu(HostTensor gate, HostTensor up)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(up);
        var result = new double[gate.Length];
        for (int i = 0; i < gate.Length; i++)
        {
            double g = gate.Data[i];
            result[i] = g * Sigmoid(g) * up.Data[i];
        }

        return new HostTensor(gate.Shape, result);
    }

    private static int DimFromRight(int[] shape, int fromRight) => fromRight <= shape.Length ? shape[^fromRight] : 1;

    /// <summary>Flat index into a tensor of <paramref name="shape"/> broadcast to the (higher-rank) <paramref name="index"/>.</summary>
    private static int BroadcastIndex(int[] shape, int[] index)
    {
        int lead = index.Length - shape.Length;
        int flat = 0;
        for (int d = 0; d < shape.Length; d++)
        {
            int i = shape[d] == 1 ? 0 : index[lead + d];
            flat = (flat * shape[d]) + i;
        }

        return flat;
    }
}
