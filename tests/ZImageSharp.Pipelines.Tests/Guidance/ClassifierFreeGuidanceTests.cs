using ZImageSharp.Cpu;
using ZImageSharp.Pipelines.Guidance;
using ZImageSharp.Tensors;
using ZImageSharp.Testing;

namespace ZImageSharp.Pipelines.Tests.Guidance;

/// <summary>CFG's rules, and its arithmetic against a double-precision reference written here.</summary>
public sealed class ClassifierFreeGuidanceTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;

    // float32 arithmetic vs the exact formula: a few roundings of values of size ~10.
    private static readonly Tolerance Float32Formula = new(1e-5, 1e-6, 1e-12);

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(-1.0, false)]
    [InlineData(1e-9, true)]
    [InlineData(1.0, true)] // on since diffusers 97c2c6e397 (the old rule was > 1)
    [InlineData(4.0, true)]
    public void IsEnabled_WhenTheScaleIsPositive(double scale, bool enabled)
    {
        Assert.Equal(enabled, ClassifierFreeGuidance.IsEnabled(scale));
        Assert.Equal(enabled, ClassifierFreeGuidance.IsActive(scale, 0f, 1.0));
    }

    [Theory]
    [InlineData(0.0f, 0.2, true)]
    [InlineData(0.1f, 0.2, true)]
    [InlineData(0.25f, 0.2, false)]
    [InlineData(0.5f, 0.2, false)]
    [InlineData(0.2f, 0.2, false)] // 0.2f is 0.20000000298…, above the Python float 0.2
    [InlineData(0.7f, 1.0, true)]  // the default never truncates
    [InlineData(1.0f, 1.0, true)]
    [InlineData(0.9f, 1.5, true)]  // values above 1 are ignored
    [InlineData(0.5f, 0.0, false)]
    [InlineData(0.0f, 0.0, true)]  // t_norm 0 (the first step) is never above the truncation
    public void IsActive_TruncatesStepsWhoseTimeIsAboveTheThreshold(float modelTimestep, double truncation, bool active)
    {
        Assert.Equal(active, ClassifierFreeGuidance.IsActive(4.0, modelTimestep, truncation));
    }

    [Fact]
    public void Apply_WithoutNormalization_IsPosPlusGTimesDifference_RoundedInThatOrder()
    {
        float[] pos = TestData.Normal(2 * 48, seed: 1);
        float[] neg = TestData.Normal(2 * 48, seed: 2);
        using Tensor p = Tensor.From<float>(Cpu, pos, new Shape(2, 4, 12));
        using Tensor n = Tensor.From<float>(Cpu, neg, new Shape(2, 4, 12));
        using Tensor guided = ClassifierFreeGuidance.Apply(p, n, 4.0, 0);
        float[] expected = [.. pos.Zip(neg, (a, b) => a + (4f * (a - b)))];
        TensorAssert.Equal<float>(expected, guided);
    }

    [Theory]
    [InlineData(4.0, 0.0)]
    [InlineData(4.0, 1.0)]
    [InlineData(4.0, 0.5)]
    [InlineData(2.5, 1.3)]
    [InlineData(4.0, 100.0)] // never reached: nothing is rescaled
    public void Apply_MatchesTheDoublePrecisionFormula_PerSample(double scale, double normalization)
    {
        // Sample 0: unrelated outputs, so ‖pred‖ is far above ‖pos‖. Sample 1: neg = 1.1·pos, so pred = 0.6·pos
        // (for g = 4) and its norm stays below c·‖pos‖ for c ≥ 0.6: it must come out unscaled.
        const int Size = 16 * 2 * 3;
        float[] pos = TestData.Normal(2 * Size, seed: 7, scale: 2f);
        float[] neg = TestData.Normal(2 * Size, seed: 8, scale: 2f);
        for (int i = Size; i < 2 * Size; i++)
        {
            neg[i] = pos[i] * 1.1f;
        }

        var shape = new Shape(2, 16, 1, 2, 3);
        using Tensor p = Tensor.From<float>(Cpu, pos, shape);
        using Tensor n = Tensor.From<float>(Cpu, neg, shape);
        using Tensor guided = ClassifierFreeGuidance.Apply(p, n, scale, normalization);
        Assert.Equal(shape, guided.Shape);
        Assert.Equal(DType.F32, guided.DType);
        TensorAssert.Close(Reference(pos, neg, Size, scale, normalization), guided.ToArray<float>(), Float32Formula, "cfg");
    }

    [Fact]
    public void Apply_LeavesSamplesBelowTheBound_BitForBit()
    {
        float[] pos = TestData.Normal(64, seed: 3);
        float[] neg = [.. pos.Select(v => v * 1.1f)];
        using Tensor p = Tensor.From<float>(Cpu, pos, new Shape(1, 64));
        using Tensor n = Tensor.From<float>(Cpu, neg, new Shape(1, 64));
        using Tensor plain = ClassifierFreeGuidance.Apply(p, n, 4.0, 0);
        using Tensor normalized = ClassifierFreeGuidance.Apply(p, n, 4.0, 1.0);
        TensorAssert.Close(plain, normalized, Tolerance.Exact);
    }

    [Fact]
    public void Apply_WidensBFloat16Outputs_AndChecksShapes()
    {
        using Tensor p = TestData.Random(Cpu, new Shape(1, 8, 3), DType.BF16, seed: 4);
        using Tensor n = TestData.Random(Cpu, new Shape(1, 8, 3), DType.BF16, seed: 5);
        using Tensor p32 = Ops.Cast(p, DType.F32);
        using Tensor n32 = Ops.Cast(n, DType.F32);
        using Tensor fromBf16 = ClassifierFreeGuidance.Apply(p, n, 3.0, 1.0);
        using Tensor fromF32 = ClassifierFreeGuidance.Apply(p32, n32, 3.0, 1.0);
        TensorAssert.Close(fromF32, fromBf16, Tolerance.Exact);

        using Tensor other = Tensor.Zeros(Cpu, new Shape(1, 3, 8));
        Assert.Throws<ShapeMismatchException>(() => ClassifierFreeGuidance.Apply(p32, other, 3.0, 0));
    }

    [Fact]
    public void TorchVectorNorm_IsTheTwoNorm()
    {
        foreach (int length in (int[])[0, 1, 7, 8, 9, 1536, 1541])
        {
            float[] x = TestData.Normal(length, seed: length);
            double exact = Math.Sqrt(x.Sum(v => (double)v * v));
            Assert.Equal(exact, TorchVectorNorm.L2(x), Math.Max(exact, 1) * 1e-6);
        }
    }

    // pred = pos + g·(pos − neg) and the per-sample rescale, all in double from the float inputs.
    private static double[] Reference(float[] pos, float[] neg, int sampleSize, double g, double c)
    {
        var pred = new double[pos.Length];
        for (int i = 0; i < pos.Length; i++)
        {
            pred[i] = pos[i] + (g * ((double)pos[i] - neg[i]));
        }

        if (c <= 0)
        {
            return pred;
        }

        for (int start = 0; start < pos.Length; start += sampleSize)
        {
            double posNorm = Math.Sqrt(pos.Skip(start).Take(sampleSize).Sum(v => (double)v * v));
            double predNorm = Math.Sqrt(pred.Skip(start).Take(sampleSize).Sum(v => v * v));
            if (predNorm > c * posNorm)
            {
                for (int i = start; i < start + sampleSize; i++)
                {
                    pred[i] *= c * posNorm / predNorm;
                }
            }
        }

        return pred;
    }
}
