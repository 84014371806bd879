using System.Runtime.Intrinsics;
using ZImageSharp.Cpu;
using ZImageSharp.Testing;

namespace ZImageSharp.Tensors.Tests.Ops;

/// <summary>The f32 erf behind GELU, at each vector width whatever the CPU (unaccelerated widths run in software).</summary>
public sealed class ErfTests
{
    [Fact]
    public void NaiveErf_MatchesKnownValues()
    {
        // Values from CPython's math.erf (correctly rounded doubles): the reference must be trusted first.
        Assert.Equal(0.1124629160182849, NaiveOps.Erf(0.1), 1e-15);
        Assert.Equal(0.5204998778130465, NaiveOps.Erf(0.5), 1e-15);
        Assert.Equal(0.8427007929497149, NaiveOps.Erf(1.0), 1e-15);
        Assert.Equal(0.9953222650189527, NaiveOps.Erf(2.0), 1e-15);
        Assert.Equal(-0.9999779095030014, NaiveOps.Erf(-3.0), 1e-15);
        Assert.Equal(0.9999999845827421, NaiveOps.Erf(4.0), 1e-16);
        Assert.Equal(1.0, NaiveOps.Erf(double.PositiveInfinity));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    public void Erf_DenseSample_WithinTwoUlps(int width)
    {
        // Every 7919th f32 from 2^-40 to 8, both signs: covers both ranges, the split, the clamp and the saturation to ±1.
        var inputs = new List<float>();
        for (uint bits = 0x2B80_0000; bits < 0x4100_0000; bits += 7919)
        {
            float v = BitConverter.UInt32BitsToSingle(bits);
            inputs.Add(v);
            inputs.Add(-v);
        }

        inputs.AddRange([0f, -0f, ErfMath.Split, -ErfMath.Split, 4f, -4f, 1e-30f, -1e-30f]);
        float[] x = [.. inputs];
        float[] y = Evaluate(x, width);
        var expected = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            expected[i] = NaiveOps.Erf(x[i]);
        }

        TensorAssert.Close(expected, y, Tolerances.Erf, $"erf at width {width}");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    public void Erf_SpecialValues(int width)
    {
        float[] y = Evaluate([float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 100f, -100f, float.MaxValue], width);
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal(1f, y[1]);
        Assert.Equal(-1f, y[2]);
        Assert.Equal(0f, y[3]);
        Assert.True(float.IsNegative(y[4]) && y[4] == 0f, "erf(-0) is -0");
        Assert.Equal(1f, y[5]);
        Assert.Equal(-1f, y[6]);
        Assert.Equal(1f, y[7]);
    }

    [Fact]
    public void Gelu_NegativeTail_KeepsRelativeAccuracy()
    {
        // 1 + erf(z) is taken from erfc where erf is near −1, so GELU stays accurate in relative terms to x ≈ −5.6.
        float[] x = TestData.Uniform(4000, seed: 1, -5.6f, -1f);
        var y = new float[x.Length];
        SimdLoop.Run(default(GeluOperator), x, y);
        var expected = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            expected[i] = NaiveOps.Unary(UnaryOp.Gelu, x[i]);
        }

        TensorAssert.Close(expected, y, Tolerances.GeluNegativeTail, "gelu negative tail");
    }

    private static float[] Evaluate(float[] x, int width)
    {
        var y = new float[x.Length];
        var lane = new float[width];
        for (int i = 0; i < x.Length; i += width)
        {
            Array.Clear(lane);
            int n = Math.Min(width, x.Length - i);
            Array.Copy(x, i, lane, 0, n);
            float[] result = width switch
            {
                4 => ToArray(ErfMath.Erf(Vector128.Create(lane))),
                8 => ToArray(ErfMath.Erf(Vector256.Create(lane))),
                _ => ToArray(ErfMath.Erf(Vector512.Create(lane))),
            };
            Array.Copy(result, 0, y, i, n);
        }

        return y;
    }

    private static float[] ToArray(Vector128<float> v)
    {
        var a = new float[4];
        v.CopyTo(a);
        return a;
    }

    private static float[] ToArray(Vector256<float> v)
    {
        var a = new float[8];
        v.CopyTo(a);
        return a;
    }

    private static float[] ToArray(Vector512<float> v)
    {
        var a = new float[16];
        v.CopyTo(a);
        return a;
    }
}
