namespace ZImageSharp.Testing;

/// <summary>
/// An acceptance bound for comparing a kernel's result with a reference: every element must satisfy
/// |actual − expected| ≤ <see cref="Absolute"/> + <see cref="Relative"/>·|expected|, and the normalised mean squared
/// error Σ(actual − expected)² / Σ expected² must not exceed <see cref="MaxNmse"/>.
/// </summary>
public sealed record Tolerance(double Absolute, double Relative, double MaxNmse)
{
    /// <summary>Bit-for-bit equality.</summary>
    public static Tolerance Exact { get; } = new(0, 0, 0);

    public override string ToString() => $"abs {Absolute:G3} + rel {Relative:G3}, NMSE ≤ {MaxNmse:G3}";
}
