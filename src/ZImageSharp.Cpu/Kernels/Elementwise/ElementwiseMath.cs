using System.Numerics.Tensors;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

/// <summary>
/// The element-wise functions on f32 spans: TensorPrimitives where it has the primitive (vectorised, accurate to an
/// ulp or two), the operators of ElementwiseOperators.cs otherwise. The destination may be the same memory
/// as an input (exact overlap), never a partial overlap.
/// </summary>
internal static class ElementwiseMath
{
    /// <summary>destination = op(x).</summary>
    public static void Unary(UnaryOp op, ReadOnlySpan<float> x, Span<float> destination)
    {
        switch (op)
        {
            case UnaryOp.Neg:
                TensorPrimitives.Negate(x, destination);
                break;
            case UnaryOp.Abs:
                TensorPrimitives.Abs(x, destination);
                break;
            case UnaryOp.Square:
                TensorPrimitives.Multiply(x, x, destination);
                break;
            case UnaryOp.Sqrt:
                TensorPrimitives.Sqrt(x, destination);
                break;
            case UnaryOp.Rsqrt:
                TensorPrimitives.ReciprocalSqrt(x, destination);
                break;
            case UnaryOp.Exp:
                TensorPrimitives.Exp(x, destination);
                break;
            case UnaryOp.Log:
                TensorPrimitives.Log(x, destination);
                break;
            case UnaryOp.Tanh:
                TensorPrimitives.Tanh(x, destination);
                break;
            case UnaryOp.Sigmoid:
                TensorPrimitives.Sigmoid(x, destination);
                break;
            case UnaryOp.Silu:
                SimdLoop.Run(default(SiluOperator), x, destination);
                break;
            case UnaryOp.Gelu:
                SimdLoop.Run(default(GeluOperator), x, destination);
                break;
            case UnaryOp.Cos:
                TensorPrimitives.Cos(x, destination);
                break;
            case UnaryOp.Sin:
                TensorPrimitives.Sin(x, destination);
                break;
            case UnaryOp.Reciprocal:
                TensorPrimitives.Reciprocal(x, destination);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown unary op.");
        }
    }

    /// <summary>destination = op(a, b). A length-1 operand against a longer destination is a broadcast scalar.</summary>
    public static void Binary(BinaryOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination)
    {
        bool aScalar = a.Length == 1 && destination.Length > 1;
        bool bScalar = b.Length == 1 && destination.Length > 1;
        if (aScalar && bScalar)
        {
            // Both broadcast along the run: one value, repeated.
            Binary(op, a, b, destination[..1]);
            destination.Fill(destination[0]);
        }
        else if (bScalar)
        {
            BinaryScalarRight(op, a, b[0], destination);
        }
        else if (aScalar)
        {
            BinaryScalarLeft(op, a[0], b, destination);
        }
        else
        {
            BinarySpans(op, a, b, destination);
        }
    }

    private static void BinarySpans(BinaryOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination)
    {
        switch (op)
        {
            case BinaryOp.Add:
                TensorPrimitives.Add(a, b, destination);
                break;
            case BinaryOp.Sub:
                TensorPrimitives.Subtract(a, b, destination);
                break;
            case BinaryOp.Mul:
                TensorPrimitives.Multiply(a, b, destination);
                break;
            case BinaryOp.Div:
                TensorPrimitives.Divide(a, b, destination);
                break;
            case BinaryOp.Maximum:
                TensorPrimitives.Max(a, b, destination);
                break;
            case BinaryOp.Minimum:
                TensorPrimitives.Min(a, b, destination);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary op.");
        }
    }

    private static void BinaryScalarRight(BinaryOp op, ReadOnlySpan<float> a, float b, Span<float> destination)
    {
        switch (op)
        {
            case BinaryOp.Add:
                TensorPrimitives.Add(a, b, destination);
                break;
            case BinaryOp.Sub:
                TensorPrimitives.Subtract(a, b, destination);
                break;
            case BinaryOp.Mul:
                TensorPrimitives.Multiply(a, b, destination);
                break;
            case BinaryOp.Div:
                TensorPrimitives.Divide(a, b, destination);
                break;
            case BinaryOp.Maximum:
                TensorPrimitives.Max(a, b, destination);
                break;
            case BinaryOp.Minimum:
                TensorPrimitives.Min(a, b, destination);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary op.");
        }
    }

    private static void BinaryScalarLeft(BinaryOp op, float a, ReadOnlySpan<float> b, Span<float> destination)
    {
        switch (op)
        {
            case BinaryOp.Sub:
                TensorPrimitives.Subtract(a, b, destination);
                break;
            case BinaryOp.Div:
                TensorPrimitives.Divide(a, b, destination);
                break;
            default:
                // Add, Mul, Maximum and Minimum commute (Max/Min propagate NaN from either side).
                BinaryScalarRight(op, b, a, destination);
                break;
        }
    }
}
