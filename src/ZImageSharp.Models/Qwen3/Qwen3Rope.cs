using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Qwen3;

/// <summary>
/// Qwen3's default rotary embedding tables: inv_freq_j = 1/θ^(2j/D) and angles pos·inv_freq, both rounded to f32 as
/// the reference computes them (HF <c>Qwen3RotaryEmbedding</c>); pairs are rotated half-split (<c>rotate_half</c>).
/// </summary>
public static class Qwen3Rope
{
    /// <summary>cos and sin tables [1, length, headDim/2] for positions 0..length-1.</summary>
    public static (Tensor Cos, Tensor Sin) Tables(IBackend backend, int length, int headDim, double theta)
    {
        ArgumentNullException.ThrowIfNull(backend);
        int half = headDim / 2;
        var invFreq = new float[half];
        for (int j = 0; j < half; j++)
        {
            float exponent = (float)(2 * j) / headDim;
            invFreq[j] = (float)(1.0 / (float)Math.Pow(theta, exponent));
        }

        var cos = new float[length * half];
        var sin = new float[length * half];
        for (int p = 0; p < length; p++)
        {
            for (int j = 0; j < half; j++)
            {
                float angle = p * invFreq[j];
                cos[(p * half) + j] = (float)Math.Cos(angle);
                sin[(p * half) + j] = (float)Math.Sin(angle);
            }
        }

        var shape = new Shape(1, length, half);
        return (Tensor.From<float>(backend, cos, shape), Tensor.From<float>(backend, sin, shape));
    }
}
