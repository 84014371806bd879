namespace ZImageSharp.Pipelines.Schedulers;

/// <summary>The two <c>linspace</c> implementations the reference schedules are built with, rounding for rounding.</summary>
internal static class Linspace
{
    // PyTorch's AVX2 CPU kernel writes 8 floats per vector and two vectors per loop iteration.
    private const int VectorWidth = 8;

    /// <summary>
    /// <c>torch.linspace(start, end, steps)</c> in float32 as PyTorch's x86-64 CPU kernel (AVX2 dispatch) computes it.
    /// </summary>
    /// <remarks>
    /// <para>start and end are rounded to float and step = (end − start) / (steps − 1) in float. Element i alone is
    /// start + step·i in the first half and end − step·(steps − 1 − i) in the second, each one fused multiply-add.
    /// The kernel's vector loop, while at least 16 elements remain, instead fills two blocks of 8, each from its first
    /// element b as b + k·step with the product and the sum rounded separately; the rest goes element by element.</para>
    /// <para>This reproduces every reference schedule bit for bit (1 to 50 steps). Fewer than 16 steps never reach the
    /// vector loop, so they are the same for every PyTorch build; with more, a build whose vectors are wider
    /// (AVX-512) or absent can differ by one ulp in some elements.</para>
    /// </remarks>
    public static float[] TorchFloat32(double start, double end, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var values = new float[steps];
        float first = (float)start;
        float last = (float)end;
        if (steps == 1)
        {
            values[0] = first; // PyTorch fills a one-element linspace with start
            return values;
        }

        float step = (last - first) / (steps - 1);
        int halfway = steps / 2;
        float Element(int i) => i < halfway
            ? MathF.FusedMultiplyAdd(step, i, first)
            : MathF.FusedMultiplyAdd(-step, steps - 1 - i, last);

        int next = 0;
        for (; next + (2 * VectorWidth) <= steps; next += 2 * VectorWidth)
        {
            FillBlock(values, next, Element(next), step);
            FillBlock(values, next + VectorWidth, Element(next + VectorWidth), step);
        }

        for (; next < steps; next++)
        {
            values[next] = Element(next);
        }

        return values;
    }

    // One vector of the kernel: blockStart + k·step, the product and the sum each rounded (not fused).
    private static void FillBlock(float[] values, int at, float blockStart, float step)
    {
        for (int k = 0; k < VectorWidth; k++)
        {
            float offset = k * step;
            values[at + k] = blockStart + offset;
        }
    }

    /// <summary>
    /// <c>numpy.linspace(start, stop, num)</c> in float64 (NumPy 1.2x): i·step + start with step = (stop − start) /
    /// (num − 1), two roundings each, and the last element set to stop exactly.
    /// </summary>
    public static double[] NumPyFloat64(double start, double stop, int num)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(num);
        var values = new double[num];
        if (num == 1)
        {
            values[0] = start;
            return values;
        }

        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++)
        {
            values[i] = (i * step) + start;
        }

        if (num > 1)
        {
            values[^1] = stop;
        }

        return values;
    }
}
