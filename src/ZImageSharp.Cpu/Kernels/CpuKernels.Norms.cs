using System.Buffers;
using System.Numerics.Tensors;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

// Normalisations. Statistics are summed in f64 (RowStatistics); the mean is subtracted in two f32 parts
// (NormalizeOperator) so centring stays exact; weights of any float dtype are converted once per call.
internal sealed unsafe partial class CpuKernels
{
    /// <summary>Elements of a GroupNorm group converted per step (16 KiB of f32).</summary>
    private const int GroupChunk = 4096;

    public void RmsNorm(TensorRef x, TensorRef? weight, float eps, TensorRef destination)
    {
        using F32Vector w = F32Vector.From(weight);
        RowMap.Run(_parallel, x, destination, new RmsNormRow(w, eps));
    }

    public void LayerNorm(TensorRef x, TensorRef? weight, TensorRef? bias, float eps, TensorRef destination)
    {
        using F32Vector w = F32Vector.From(weight);
        using F32Vector b = F32Vector.From(bias);
        RowMap.Run(_parallel, x, destination, new LayerNormRow(w, b, eps));
    }

    public void GroupNorm(TensorRef x, int groups, TensorRef? weight, TensorRef? bias, float eps, TensorRef destination)
    {
        var (n, c, s) = x.Shape.Dims3();
        int perGroup = c / groups;
        long groupLength = (long)perGroup * s;
        if (destination.Layout.ElementCount == 0)
        {
            return;
        }

        byte* px = CpuMemory.Base(x);
        byte* pd = CpuMemory.Base(destination);
        DType tx = x.DType;
        DType td = destination.DType;
        long offsetX = x.Layout.Offset;
        long offsetD = destination.Layout.Offset;
        using F32Vector w = F32Vector.From(weight);
        using F32Vector b = F32Vector.From(bias);

        // One work item per (sample, group): a contiguous run of perGroup·s elements, read twice (statistics, then output).
        _parallel.For((long)n * groups, Math.Max(1, RowMap.GrainElements / groupLength), (start, end) =>
        {
            float[] scratch = ArrayPool<float>.Shared.Rent(2 * GroupChunk);
            try
            {
                for (long item = start; item < end; item++)
                {
                    // One pass for both sums (a group may be far larger than the caches), shifted by the mean of the
                    // first chunk: var = E[(x − k)²] − (mean − k)² with k near the mean cancels almost nothing.
                    long first = item * groupLength;
                    int firstLength = (int)Math.Min(GroupChunk, groupLength);
                    double shift = RowStatistics.Sum(RowAccess.Read(px, tx, offsetX + first, 1, firstLength, scratch)) / firstLength;
                    double sum = 0;
                    double squares = 0;
                    for (long i = 0; i < groupLength; i += GroupChunk)
                    {
                        int len = (int)Math.Min(GroupChunk, groupLength - i);
                        (double s1, double s2) = RowStatistics.SumAndSquaredDeviations(RowAccess.Read(px, tx, offsetX + first + i, 1, len, scratch), shift);
                        sum += s1;
                        squares += s2;
                    }

                    double mean = sum / groupLength;
                    double scale = InverseStd(Math.Max(0, (squares / groupLength) - ((mean - shift) * (mean - shift))), eps);
                    int firstChannel = (int)(item % groups) * perGroup;
                    for (int ch = 0; ch < perGroup; ch++)
                    {
                        // Fold the channel's weight into the scale and its bias into the shift: one pass per element.
                        float wc = w.IsPresent ? w.Span[firstChannel + ch] : 1f;
                        float bc = b.IsPresent ? b.Span[firstChannel + ch] : 0f;
                        var normalize = new NormalizeOperator(mean, (float)(scale * wc), bc);
                        long channelStart = first + ((long)ch * s);
                        for (int i = 0; i < s; i += GroupChunk)
                        {
                            int len = Math.Min(GroupChunk, s - i);
                            ReadOnlySpan<float> values = RowAccess.Read(px, tx, offsetX + channelStart + i, 1, len, scratch);
                            Span<float> y = RowAccess.Target(pd, td, offsetD + channelStart + i, len, scratch.AsSpan(GroupChunk));
                            SimdLoop.Run(normalize, values, y);
                            RowAccess.Commit(y, pd, td, offsetD + channelStart + i);
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        });
    }

    /// <summary>1/√(variance + eps) in f64.</summary>
    internal static double InverseStd(double variance, float eps) => 1.0 / Math.Sqrt(variance + eps);

    private readonly struct RmsNormRow(F32Vector weight, float eps) : IRowMap
    {
        public void Apply(ReadOnlySpan<float> row, Span<float> y)
        {
            float scale = (float)InverseStd(RowStatistics.SumOfSquares(row) / row.Length, eps);
            if (weight.IsPresent)
            {
                SimdLoop.Run(new ScaleMultiplyOperator(scale), row, weight.Span, y);
            }
            else
            {
                TensorPrimitives.Multiply(row, scale, y);
            }
        }
    }

    private readonly struct LayerNormRow(F32Vector weight, F32Vector bias, float eps) : IRowMap
    {
        public void Apply(ReadOnlySpan<float> row, Span<float> y)
        {
            // Two-pass variance (the row is in cache after the first), then one pass writes the output.
            double mean = RowStatistics.Sum(row) / row.Length;
            float scale = (float)InverseStd(RowStatistics.SumOfSquaredDeviations(row, mean) / row.Length, eps);
            if (weight.IsPresent && bias.IsPresent)
            {
                SimdLoop.Run(new NormalizeAffineOperator(mean, scale), row, weight.Span, bias.Span, y);
                return;
            }

            SimdLoop.Run(new NormalizeOperator(mean, scale, 0f), row, y);
            if (weight.IsPresent)
            {
                TensorPrimitives.Multiply(y, weight.Span, y);
            }
            else if (bias.IsPresent)
            {
                TensorPrimitives.Add(y, bias.Span, y);
            }
        }
    }
}
