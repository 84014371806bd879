using ZImageSharp.Cpu;
using ZImageSharp.Tensors;

namespace ZImageSharp.Verification.Tests;

/// <summary>The pieces the verdicts rest on: the error metrics, the bounds and the kernel-free host transfer.</summary>
public sealed class MeasurementTests
{
    [Fact]
    public void ErrorMetrics_AreTheNormalisedSquaredErrorAndTheLargestDifference()
    {
        ErrorMetrics e = ErrorMetrics.Compare([1.0, 2.5, -3.0], [1.0, 2.0, -4.0]);
        Assert.Equal((0.25 + 1.0) / (1 + 4 + 16), e.Nmse, 15);
        Assert.Equal(1.0, e.MaxAbs);
        Assert.Equal(4.0, e.MaxReference);
    }

    [Fact]
    public void ErrorMetrics_NaNInTheOutputNeverPasses_MatchingInfinitiesDo()
    {
        var bound = NumericBound.For(DType.F32);
        ErrorMetrics nan = ErrorMetrics.Compare([double.NaN, 1.0], [0.5, 1.0]);
        Assert.False(new CaseResult("x", "y", DType.F32, nan.Nmse, nan.MaxAbs, nan.MaxReference, bound, 0).Passed);
        ErrorMetrics inf = ErrorMetrics.Compare([double.PositiveInfinity, 1.0], [double.PositiveInfinity, 1.0]);
        Assert.Equal(0, inf.Nmse);
        Assert.Throws<ArgumentException>(() => ErrorMetrics.Compare([1.0], [1.0, 2.0]));
    }

    [Fact]
    public void Bf16Bound_PassesOneRounding_FailsAOnePercentGainError()
    {
        // The exact values of a smooth signal vs the same values rounded once to bf16: NMSE ≈ 2.5e-6, far inside 1e-4.
        double[] exact = [.. Enumerable.Range(0, 4096).Select(i => Math.Sin(i * 0.37) * 3)];
        double[] rounded = [.. exact.Select(v => (double)BFloat16.FromSingle((float)v).ToSingle())];
        ErrorMetrics once = ErrorMetrics.Compare(rounded, exact);
        Assert.InRange(once.Nmse, 1e-7, 1e-5);
        NumericBound bf16 = NumericBound.For(DType.BF16);
        Assert.True(once.Nmse <= bf16.Nmse && once.MaxAbs <= bf16.MaxAbsRelative * once.MaxReference);

        ErrorMetrics gain = ErrorMetrics.Compare([.. rounded.Select(v => v * 1.02)], exact);
        Assert.True(gain.Nmse > bf16.Nmse);
    }

    [Theory]
    [InlineData(InputView.Contiguous, DType.BF16)]
    [InlineData(InputView.Transposed, DType.F32)]
    [InlineData(InputView.Padded, DType.F16)]
    public void HostTransfer_GivesTheLogicalValuesBack_InEveryView(InputView view, DType dtype)
    {
        HostInput input = SeededInputs.Normal(11, dtype, [3, 5, 7]).As(view);
        using Tensor t = HostTransfer.Upload(CpuBackend.Default, input);
        Assert.Equal(view == InputView.Contiguous, t.IsContiguous);
        Assert.Equal(input.Values, HostTransfer.Download(t));
        Assert.Equal(input.Values, Array.ConvertAll(t.ToFloatArray(), v => (double)v));
    }

    [Fact]
    public void PaddedView_PutsNaNNextToTheRows()
    {
        // A kernel that reads past a row of a Padded input gets NaN, and the case fails.
        using Tensor t = HostTransfer.Upload(CpuBackend.Default, SeededInputs.Normal(3, DType.F32, [2, 4]).As(InputView.Padded));
        using Tensor wide = t.AsStrided(new Layout(new Shape(2, 7), [7, 1], 0));
        double[] all = HostTransfer.Download(wide);
        Assert.All(new[] { 0, 5, 6, 7, 12, 13 }, i => Assert.True(double.IsNaN(all[i])));
    }

    [Fact]
    public void Probes_ReportPositiveRates()
    {
        ThroughputProbe gemm = ThroughputProbe.Gemm(CpuBackend.Default, 128, DType.BF16, runs: 2);
        ThroughputProbe copy = ThroughputProbe.Copy(CpuBackend.Default, 4, runs: 2);
        Assert.Equal(("gemm", "TFLOP/s", "128x128x128 bf16"), (gemm.Name, gemm.Unit, gemm.What));
        Assert.Equal(("copy", "GB/s"), (copy.Name, copy.Unit));
        Assert.True(gemm.Rate > 0 && double.IsFinite(gemm.Rate) && copy.Rate > 0 && double.IsFinite(copy.Rate));
    }
}
