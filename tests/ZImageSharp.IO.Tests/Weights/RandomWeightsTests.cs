using ZImageSharp.Cpu;
using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Tests.Weights;

public sealed class RandomWeightsTests
{
    [Theory]
    [InlineData("layers.0.attention.to_q.weight", 0.0, 1 / 48.0)] // a matrix: std 1/√fan_in
    [InlineData("layers.0.attention_norm1.weight", 1.0, 0.04)]
    [InlineData("layers.0.adaLN_modulation.0.bias", 0.0, 0.01)]
    public void Values_HaveTheSyntheticMeanAndSpread(string name, double mean, double std)
    {
        // A matrix of fan-in 2304 (std 1/48), or 1-D tensors; 2.4M values span three generator chunks.
        Shape shape = name.EndsWith(".weight", StringComparison.Ordinal) && name.Contains("to_q", StringComparison.Ordinal) ? new Shape(1024, 2304) : new Shape(2_400_000);
        using Tensor t = RandomWeights.Create(name, shape, seed: 7, CpuBackend.Default, DType.F32);
        float[] v = t.ToArray<float>();
        double m = v.Average(x => (double)x);
        double s = Math.Sqrt(v.Average(x => (x - m) * (x - m)));
        Assert.Equal(mean, m, std * 0.01);
        Assert.Equal(std, s, std * 0.01);
        Assert.True(v.Max() <= mean + (Math.Sqrt(3) * std) + 1e-6 && v.Min() >= mean - (Math.Sqrt(3) * std) - 1e-6);
    }

    [Fact]
    public void Values_DependOnSeedAndName_NotOnThreads()
    {
        var shape = new Shape(3_000_000);
        using Tensor a = RandomWeights.Create("w.weight", shape, 1, CpuBackend.Default, DType.F32);
        using Tensor b = RandomWeights.Create("w.weight", shape, 1, new CpuBackend(threads: 1), DType.F32);
        using Tensor other = RandomWeights.Create("v.weight", shape, 1, CpuBackend.Default, DType.F32);
        Assert.Equal(a.ToArray<float>(), b.ToArray<float>());
        Assert.NotEqual(a.ToArray<float>()[..100], other.ToArray<float>()[..100]);
    }

    [Theory]
    [InlineData(DType.BF16)]
    [InlineData(DType.F16)]
    public void NarrowDTypes_AreTheF32ValuesRounded(DType dtype)
    {
        var shape = new Shape(70, 33);
        using Tensor f32 = RandomWeights.Create("x.weight", shape, 3, CpuBackend.Default, DType.F32);
        using Tensor narrow = RandomWeights.Create("x.weight", shape, 3, CpuBackend.Default, dtype);
        using Tensor expected = Ops.Cast(f32, dtype);
        Assert.Equal(dtype, narrow.DType);
        using Tensor e32 = Ops.Cast(expected, DType.F32);
        using Tensor n32 = Ops.Cast(narrow, DType.F32);
        Assert.Equal(e32.ToArray<float>(), n32.ToArray<float>());
    }

    [Fact]
    public void WeightMapRandom_BuildsAnyShapeOnDemand()
    {
        WeightMap map = WeightMap.Random(CpuBackend.Default, 5, DType.BF16);
        using Tensor t = map.Sub("layers").Sub("3").Get("ffn_norm1.weight", new Shape(64));
        Assert.True(map.IsSynthetic);
        Assert.Equal((DType.BF16, new Shape(64)), (t.DType, t.Shape));
        Assert.Throws<NotSupportedException>(() => RandomWeights.Create("ids", new Shape(4), 1, CpuBackend.Default, DType.I32));
    }
}
