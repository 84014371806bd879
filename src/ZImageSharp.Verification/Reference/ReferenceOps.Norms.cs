namespace ZImageSharp.Verification.Reference;

// Reference normalisations in double: two passes (mean, then squared deviations), biased variance.
public static partial class ReferenceOps
{
    /// <summary>x / √(mean(x²) + eps) · weight over the last dimension.</summary>
    public static HostTensor RmsNorm(HostTensor x, HostTensor? weight, double eps)
    {
        ArgumentNullException.ThrowIfNull(x);
        int d = x.Shape[^1];
        var result = new double[x.Length];
        for (int row = 0; row < x.Length / Math.Max(d, 1); row++)
        {
            double squares = 0;
            for (int i = 0; i < d; i++)
            {
                double v = x.Data[(row * d) + i];
                squares += v * v;
            }

            double scale = 1.0 / Math.Sqrt((squares / d) + eps);
            for (int i = 0; i < d; i++)
            {
                double w = weight?.Data[i] ?? 1.0;
                result[(row * d) + i] = x.Data[(row * d) + i] * scale * w;
            }
        }

        return new HostTensor(x.Shape, result);
    }

    /// <summary>(x − mean) / √(var + eps) · weight + bias over the last dimension.</summary>
    public static HostTensor LayerNorm(HostTensor x, HostTensor? weight, HostTensor? bias, double eps)
    {
        ArgumentNullException.ThrowIfNull(x);
        int d = x.Shape[^1];
        var result = new double[x.Length];
        for (int row = 0; row < x.Length / Math.Max(d, 1); row++)
        {
            (double mean, double variance) = MeanVariance(x.Data, row * d, d);
            double scale = 1.0 / Math.Sqrt(variance + eps);
            for (int i = 0; i < d; i++)
            {
                double w = weight?.Data[i] ?? 1.0;
                double b = bias?.Data[i] ?? 0.0;
                result[(row * d) + i] = ((x.Data[(row * d) + i] - mean) * scale * w) + b;
            }
        }

        return new HostTensor(x.Shape, result);
    }

    /// <summary>Group normalisation of x [N, C, *spatial]: statistics over each sample's groups of C/groups channels
    /// (all their spatial positions), then per-channel weight and bias.</summary>
    public static HostTensor GroupNorm(HostTensor x, int groups, HostTensor? weight, HostTensor? bias, double eps)
    {
        ArgumentNullException.ThrowIfNull(x);
        int n = x.Shape[0];
        int c = x.Shape[1];
        int spatial = x.Length / Math.Max(n * c, 1);
        int perGroup = c / groups;
        var result = new double[x.Length];
        for (int s = 0; s < n; s++)
        {
            for (int g = 0; g < groups; g++)
            {
                int start = ((s * c) + (g * perGroup)) * spatial;
                (double mean, double variance) = MeanVariance(x.Data, start, perGroup * spatial);
                double scale = 1.0 / Math.Sqrt(variance + eps);
                for (int ch = g * perGroup; ch < (g + 1) * perGroup; ch++)
                {
                    double w = weight?.Data[ch] ?? 1.0;
                    double b = bias?.Data[ch] ?? 0.0;
                    for (int p = 0; p < spatial; p++)
                    {
                        int i = (((s * c) + ch) * spatial) + p;
                        result[i] = ((x.Data[i] - mean) * scale * w) + b;
                    }
                }
            }
        }

        return new HostTensor(x.Shape, result);
    }

    private static (double Mean, double Variance) MeanVariance(double[] data, int start, int count)
    {
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += data[start + i];
        }

        double mean = sum / count;
        double squares = 0;
        for (int i = 0; i < count; i++)
        {
            double dev = data[start + i] - mean;
            squares += dev * dev;
        }

        return (mean, squares / count);
    }
}
