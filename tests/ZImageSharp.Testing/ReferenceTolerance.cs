namespace ZImageSharp.Testing;

/// <summary>Tolerances for model blocks against the golden fixtures of the reference PyTorch implementation.</summary>
public static class ReferenceTolerance
{
    /// <summary>
    /// The fixture READMEs' bound for an f32 implementation: |a − ref| ≤ 1e-4 + 1e-4·|ref|, about 15× the measured
    /// torch-f32-vs-f64 error of the reference itself; a real bug gives errors of 1e-2 and more.
    /// </summary>
    public static Tolerance F32 { get; } = new(1e-4, 1e-4, 1e-8);
}
