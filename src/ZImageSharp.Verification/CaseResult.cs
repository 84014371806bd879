using ZImageSharp.Tensors;

namespace ZImageSharp.Verification;

/// <summary>The outcome of one case.</summary>
/// <param name="Op">The op (e.g. "matmul").</param>
/// <param name="Case">What was run: shapes and variant.</param>
/// <param name="DType">The output dtype.</param>
/// <param name="Nmse">Σ(y − r)² / Σr² (NaN when the output held NaN).</param>
/// <param name="MaxAbs">max |y − r|.</param>
/// <param name="MaxReference">max |r|, the scale <see cref="NumericBound.MaxAbsRelative"/> is relative to.</param>
/// <param name="Bound">The bound the case was held to.</param>
/// <param name="Seconds">Wall time of the case on the backend under test (upload, op, synchronise, download).</param>
/// <param name="Error">The exception's message when the op threw (then the case failed).</param>
public sealed record CaseResult(string Op, string Case, DType DType, double Nmse, double MaxAbs, double MaxReference, NumericBound Bound, double Seconds, string? Error = null)
{
    /// <summary>The largest max abs that passes.</summary>
    public double MaxAbsBound => Bound.MaxAbsRelative * MaxReference;

    /// <summary>Within both bounds, no exception (NaN never passes).</summary>
    public bool Passed => Error is null && Nmse <= Bound.Nmse && MaxAbs <= MaxAbsBound;
}
