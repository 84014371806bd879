using ZImageSharp.Cpu;
using ZImageSharp.Models.Vae;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Tests.Vae;

/// <summary>Post-processing: f32 arithmetic, clamping, channel-last layout and NumPy's half-to-even rounding.</summary>
public sealed class VaeImageProcessorTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;

    /// <summary>Floats v in [0, 1] whose f32 product v·255 is exactly k + 0.5 for some k.</summary>
    private static IEnumerable<(float Value, int Lower)> Ties()
    {
        for (int k = 0; k < 255; k++)
        {
            float tie = k + 0.5f;
            float v = tie / 255f;
            for (int step = 0; step < 4; step++, v = MathF.BitIncrement(v))
            {
                if (v * 255f == tie)
                {
                    yield return (v, k);
                    break;
                }
            }
        }
    }

    [Fact]
    public void Quantize_ExactHalves_RoundToEven()
    {
        var ties = Ties().ToList();
        Assert.True(ties.Count > 100, $"only {ties.Count} exact ties found");
        foreach (var (value, lower) in ties)
        {
            int even = lower % 2 == 0 ? lower : lower + 1;
            Assert.Equal(even, VaeImageProcessor.Quantize(value));
        }
    }

    [Fact]
    public void Quantize_Ends_AndNearTies()
    {
        Assert.Equal(0, VaeImageProcessor.Quantize(0f));
        Assert.Equal(255, VaeImageProcessor.Quantize(1f));
        Assert.Equal(0, VaeImageProcessor.Quantize(-0.5f));
        Assert.Equal(255, VaeImageProcessor.Quantize(2f));
        Assert.Equal(0, VaeImageProcessor.Quantize(float.NaN));
        (float v, int k) = Ties().First(t => t.Lower == 2);
        Assert.Equal(2, VaeImageProcessor.Quantize(v));
        Assert.Equal(3, VaeImageProcessor.Quantize(MathF.BitIncrement(v)));
        Assert.Equal(k, VaeImageProcessor.Quantize(MathF.BitDecrement(v)));
    }

    [Fact]
    public void ToUInt8_TiesThroughTheTensorPath_RoundToEven()
    {
        // For v in [0.5, 1], x = 2v − 1 is exact and x/2 + 0.5 gives v back exactly, so the tie reaches the rounding.
        var ties = Ties().Where(t => t.Value >= 0.5f).Take(12).ToArray();
        float[] x = [.. ties.Select(t => (2f * t.Value) - 1f)];
        using Tensor images = Tensor.From<float>(Cpu, x, new Shape(1, 3, 1, ties.Length / 3));
        byte[] pixels = VaeImageProcessor.ToUInt8(images)[0];

        // HWC: pixel p, channel c comes from CHW element c·W + p.
        int width = ties.Length / 3;
        for (int c = 0; c < 3; c++)
        {
            for (int p = 0; p < width; p++)
            {
                int lower = ties[(c * width) + p].Lower;
                Assert.Equal(lower % 2 == 0 ? lower : lower + 1, pixels[(p * 3) + c]);
            }
        }
    }

    [Fact]
    public void ToFloatImages_ClampsAndPutsChannelsLast()
    {
        // [2, 3, 1, 2]: image b, channel c, column w holds (b·6 + c·2 + w) spread over [-1.5, 1.5].
        float[] data = [.. Enumerable.Range(0, 12).Select(i => -1.5f + (i * 3f / 11f))];
        using Tensor images = Tensor.From<float>(Cpu, data, new Shape(2, 3, 1, 2));
        using Tensor unit = VaeImageProcessor.ToFloatImages(images);
        Assert.Equal(new Shape(2, 1, 2, 3), unit.Shape);
        float[] hwc = unit.ToFloatArray();
        for (int b = 0; b < 2; b++)
        {
            for (int w = 0; w < 2; w++)
            {
                for (int c = 0; c < 3; c++)
                {
                    float x = data[(b * 6) + (c * 2) + w];
                    Assert.Equal(Math.Clamp((x * 0.5f) + 0.5f, 0f, 1f), hwc[(b * 6) + (w * 3) + c]);
                }
            }
        }

        IReadOnlyList<byte[]> bytes = VaeImageProcessor.ToUInt8(images);
        Assert.Equal(2, bytes.Count);
        Assert.Equal(0, bytes[0][0]);
        Assert.Equal(255, bytes[1][^1]);
    }
}
