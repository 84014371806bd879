namespace ZImageSharp.Verification.Reference;

// Reference matrix products.
public static partial class ReferenceOps
{
    /// <summary>a [..., M, K] · b [..., K, N] (+ bias [N]) with the batch dimensions broadcast (numpy rules).</summary>
    public static HostTensor MatMul(HostTensor a, HostTensor b, HostTensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int m = a.Shape[^2];
        int k = a.Shape[^1];
        int n = b.Shape[^1];
        if (b.Shape[^2] != k)
        {
            throw new ArgumentException($"Inner sizes differ: {a} · {b}.");
        }

        int[] batchA = a.Shape[..^2];
        int[] batchB = b.Shape[..^2];
        int[] batch = BroadcastShapes(batchA, batchB);
        int[] outShape = [.. batch, m, n];
        HostTensor result = HostTensor.Zeros(outShape);
        int batchCount = Product(batch);
        int[] index = new int[batch.Length];
        for (int bi = 0; bi < batchCount; bi++)
        {
            Unflatten(bi, batch, index);
            int offsetA = BroadcastIndex(batchA, index) * m * k;
            int offsetB = BroadcastIndex(batchB, index) * k * n;
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double sum = bias is null ? 0.0 : bias.Data[j];
                    for (int p = 0; p < k; p++)
                    {
                        sum += a.Data[offsetA + (i * k) + p] * b.Data[offsetB + (p * n) + j];
                    }

                    result.Data[(((bi * m) + i) * n) + j] = sum;
                }
            }
        }

        return result;
    }

    /// <summary>A linear layer: x [..., in] · weightᵀ ([out, in]) + bias [out].</summary>
    public static HostTensor Linear(HostTensor x, HostTensor weight, HostTensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        int outFeatures = weight.Shape[0];
        int inFeatures = weight.Shape[1];
        int rows = x.Length / inFeatures;
        int[] outShape = [.. x.Shape[..^1], outFeatures];
        HostTensor result = HostTensor.Zeros(outShape);
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < outFeatures; o++)
            {
                double sum = bias is null ? 0.0 : bias.Data[o];
                for (int i = 0; i < inFeatures; i++)
                {
                    sum += x.Data[(r * inFeatures) + i] * weight.Data[(o * inFeatures) + i];
                }

                result.Data[(r * outFeatures) + o] = sum;
            }
        }

        return result;
    }

    /// <summary>numpy broadcasting of two shapes (aligned from the right; sizes equal or 1).</summary>
    public static int[] BroadcastShapes(int[] a, int[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int rank = Math.Max(a.Length, b.Length);
        var shape = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1)
            {
                throw new ArgumentException($"Shapes [{string.Join(", ", a)}] and [{string.Join(", ", b)}] do not broadcast.");
            }

            shape[i] = da == 1 ? db : da;
        }

        return shape;
    }

    private static int Product(int[] shape)
    {
        int p = 1;
        foreach (int d in shape)
        {
            p *= d;
        }

        return p;
    }
}
