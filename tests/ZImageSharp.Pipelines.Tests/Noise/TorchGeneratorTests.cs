using ZImageSharp.Cpu;
using ZImageSharp.Pipelines.Noise;
using ZImageSharp.Tensors;

namespace ZImageSharp.Pipelines.Tests.Noise;

/// <summary>The generator's state rules, checked without fixtures.</summary>
public sealed class TorchGeneratorTests
{
    [Fact]
    public void Mt19937_MatchesTheReferenceOutputs()
    {
        // Published values: the first output for seed 5489, and the 10000th (C++ [rand.predef] requires 4123659995).
        var mt = new Mt19937(5489);
        Assert.Equal(3499211612u, mt.Next());
        for (int i = 2; i < 10000; i++)
        {
            mt.Next();
        }

        Assert.Equal(4123659995u, mt.Next());
    }

    [Fact]
    public void Seeds_UseTheLow32Bits()
    {
        var small = new TorchGenerator(5);
        var large = new TorchGenerator((1UL << 40) + 5);
        Assert.Equal(small.Randn(40), large.Randn(40));
        Assert.Equal((1UL << 40) + 5, large.InitialSeed);
    }

    [Fact]
    public void Uniforms_AreTheLowBitsOfEngineWords()
    {
        var words = new TorchGenerator(11);
        uint w = words.NextUInt32();
        ulong high = words.NextUInt32();
        ulong low = words.NextUInt32();

        var uniforms = new TorchGenerator(11);
        Assert.Equal((w & 0xFFFFFF) / 16777216f, uniforms.NextUniformFloat()); // one word, 24 bits
        Assert.Equal((((high << 32) | low) & ((1UL << 53) - 1)) / 9007199254740992.0, uniforms.NextUniformDouble()); // two words, first high, 53 bits
    }

    [Fact]
    public void SmallCalls_ShareTheCachedSecondValue()
    {
        // randn(2) is one Box-Muller pair; two randn(1) calls return the same pair through the generator's cache.
        float[] pair = new TorchGenerator(3).Randn(2);
        var g = new TorchGenerator(3);
        Assert.Equal(pair[0], g.Randn(1)[0]);
        Assert.Equal(pair[1], g.Randn(1)[0]);
    }

    [Fact]
    public void ChunkedCalls_NeitherUseNorClearTheCache()
    {
        var g = new TorchGenerator(3);
        float first = g.Randn(1)[0];
        g.Randn(16); // draws its own uniforms
        float second = g.Randn(1)[0];
        Assert.Equal(new TorchGenerator(3).Randn(2), new[] { first, second });
    }

    [Fact]
    public void ManualSeed_RestartsTheStreamAndDropsTheCache()
    {
        var g = new TorchGenerator(9);
        g.Randn(3); // leaves a cached value
        g.Randn(20);
        g.ManualSeed(42);
        Assert.Equal(new TorchGenerator(42).Randn(5), g.Randn(5));
        Assert.Equal(42UL, g.InitialSeed);
    }

    [Fact]
    public void TensorRandn_IsTheFlatStreamInRowMajorOrder()
    {
        using Tensor t = new TorchGenerator(2024).Randn(CpuBackend.Default, new Shape(2, 3, 5));
        Assert.Equal(DType.F32, t.DType);
        Assert.Equal(new Shape(2, 3, 5), t.Shape);
        Assert.Equal(new TorchGenerator(2024).Randn(30), t.ToArray<float>());
    }

    [Fact]
    public void Randn_OfNothing_IsEmpty_AndNegativeCountsThrow()
    {
        var g = new TorchGenerator(1);
        Assert.Empty(g.Randn(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => g.Randn(-1));
    }

    [Fact]
    public void BoxMuller16_MatchesTheMathWithinFloatAccuracy()
    {
        // The Cephes approximations are within a few ulp of the true functions on the ranges the transform uses.
        for (int i = 0; i <= 4096; i++)
        {
            float u = Math.Max(i / 4096f, 1f / (1 << 24));
            Assert.Equal(Math.Log(u), BoxMuller16.Log(u), 1e-6 * Math.Max(1, Math.Abs(Math.Log(u))));
            float theta = (float)(2 * Math.PI * i / 4097);
            BoxMuller16.SinCos(theta, out float sin, out float cos);
            Assert.Equal(Math.Sin(theta), sin, 3e-7);
            Assert.Equal(Math.Cos(theta), cos, 3e-7);
        }
    }
}
