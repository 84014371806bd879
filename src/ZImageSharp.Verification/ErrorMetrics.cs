namespace ZImageSharp.Verification;

/// <summary>How far an output is from its reference.</summary>
/// <param name="Nmse">Σ(y − r)² / Σr²; NaN when y holds a NaN the reference does not.</param>
/// <param name="MaxAbs">max |y − r|.</param>
/// <param name="MaxReference">max |r|.</param>
public readonly record struct ErrorMetrics(double Nmse, double MaxAbs, double MaxReference)
{
    /// <summary>Compares <paramref name="actual"/> with <paramref name="expected"/> element by element.</summary>
    /// <exception cref="ArgumentException">When the lengths differ.</exception>
    public static ErrorMetrics Compare(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        if (actual.Length != expected.Length)
        {
            throw new ArgumentException($"The output has {actual.Length} elements, the reference {expected.Length}.", nameof(actual));
        }

        double error = 0, energy = 0, maxAbs = 0, maxReference = 0;
        bool nan = false;
        for (int i = 0; i < actual.Length; i++)
        {
            double d = actual[i] - expected[i];
            if (double.IsNaN(d))
            {
                // Equal infinities (or NaN in both) are a match; anything else that gives NaN is a failure.
                if (actual[i].Equals(expected[i]))
                {
                    continue;
                }

                nan = true;
                continue;
            }

            error += d * d;
            energy += expected[i] * expected[i];
            maxAbs = Math.Max(maxAbs, Math.Abs(d));
            maxReference = Math.Max(maxReference, Math.Abs(expected[i]));
        }

        // An all-zero reference: any difference at all is a relative error of "infinity".
        double nmse = nan ? double.NaN : error == 0 ? 0 : energy == 0 ? double.PositiveInfinity : error / energy;
        return new ErrorMetrics(nmse, nan ? double.NaN : maxAbs, maxReference);
    }
}
