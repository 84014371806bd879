using ZImageSharp.Tensors;

namespace ZImageSharp.Verification.Reference;

// Reference row ops over the last dimension, in double.
public static partial class ReferenceOps
{
    /// <summary>exp(x − max) / Σ exp(x − max) per row.</summary>
    public static HostTensor Softmax(HostTensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        int d = x.Shape[^1];
        var result = new double[x.Length];
        for (int row = 0; row < x.Length / Math.Max(d, 1); row++)
        {
            double max = double.NegativeInfinity;
            bool nan = false;
            for (int i = 0; i < d; i++)
            {
                double v = x.Data[(row * d) + i];
                nan |= double.IsNaN(v);
                max = Math.Max(max, v);
            }

            double sum = 0;
            for (int i = 0; i < d; i++)
            {
                double e = nan ? double.NaN : Math.Exp(x.Data[(row * d) + i] - max);
                result[(row * d) + i] = e;
                sum += e;
            }

            for (int i = 0; i < d; i++)
            {
                result[(row * d) + i] /= sum;
            }
        }

        return new HostTensor(x.Shape, result);
    }

    /// <summary>Each row reduced to one value; the result keeps the last dimension with size 1.</summary>
    public static HostTensor Reduce(ReduceOp op, HostTensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        int d = x.Shape[^1];
        int[] shape = (int[])x.Shape.Clone();
        shape[^1] = 1;
        HostTensor result = HostTensor.Zeros(shape);
        for (int row = 0; row < result.Length; row++)
        {
            double sum = 0;
            double squares = 0;
            double max = double.NegativeInfinity;
            double min = double.PositiveInfinity;
            for (int i = 0; i < d; i++)
            {
                double v = x.Data[(row * d) + i];
                sum += v;
                squares += v * v;
                max = double.IsNaN(v) || double.IsNaN(max) ? double.NaN : Math.Max(max, v);
                min = double.IsNaN(v) || double.IsNaN(min) ? double.NaN : Math.Min(min, v);
            }

            result.Data[row] = op switch
            {
                ReduceOp.Sum => sum,
                ReduceOp.Mean => sum / d,
                ReduceOp.Max => max,
                ReduceOp.Min => min,
                ReduceOp.L2Norm => Math.Sqrt(squares),
                _ => throw new ArgumentOutOfRangeException(nameof(op)),
            };
        }

        return result;
    }
}
