using ZImageSharp.Cpu;
using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Tests.Weights;

public sealed class SyntheticWeightsTests
{
    [Fact]
    public void SameSeedNameAndShape_GiveTheSameValues_OthersDiffer()
    {
        float[] a = SyntheticWeights.Values("layers.0.w.weight", new Shape(8, 16), 7);
        float[] b = SyntheticWeights.Values("layers.0.w.weight", new Shape(8, 16), 7);
        float[] c = SyntheticWeights.Values("layers.1.w.weight", new Shape(8, 16), 7);
        float[] d = SyntheticWeights.Values("layers.0.w.weight", new Shape(8, 16), 8);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.NotEqual(a, d);
    }

    [Fact]
    public void Distributions_FollowTheNameRules()
    {
        float[] matrix = SyntheticWeights.Values("x.weight", new Shape(64, 400), 1);
        float[] bias = SyntheticWeights.Values("x.bias", new Shape(4000), 1);
        float[] norm = SyntheticWeights.Values("norm.weight", new Shape(4000), 1);
        Assert.InRange(Std(matrix), 0.045, 0.055);
        Assert.InRange(Std(bias), 0.009, 0.011);
        Assert.InRange(norm.Average(), 0.99, 1.01);
        Assert.InRange(Std(norm), 0.036, 0.044);
    }

    [Fact]
    public void SyntheticMap_GivesEveryRequestedShape()
    {
        WeightMap map = WeightMap.Synthetic(CpuBackend.Default, seed: 3, DType.BF16);
        using Tensor w = map.Sub("layers").Sub("0").Get("attention.to_q.weight", new Shape(4, 6));
        Assert.Equal(new Shape(4, 6), w.Shape);
        Assert.Equal(DType.BF16, w.DType);
        Assert.True(map.IsSynthetic);
        map.ThrowIfUnused();
    }

    private static double Std(float[] v)
    {
        double mean = v.Average(x => (double)x);
        return Math.Sqrt(v.Average(x => (x - mean) * (x - mean)));
    }
}
