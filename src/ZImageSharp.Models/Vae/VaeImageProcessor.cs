using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Vae;

/// <summary>
/// diffusers <c>VaeImageProcessor.postprocess</c> for decoded images: clamp(x/2 + 0.5, 0, 1) in f32, channels last,
/// and for 8-bit output round(v·255) with ties to even (NumPy's <c>round</c>), all exactly as the reference does.
/// </summary>
public static class VaeImageProcessor
{
    /// <summary>The float images (diffusers <c>output_type="np"</c>).</summary>
    /// <param name="images">[B, C, H, W] decoder output, nominally in [−1, 1].</param>
    /// <returns>F32 [B, H, W, C] in [0, 1], contiguous.</returns>
    public static Tensor ToFloatImages(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Rank != 4)
        {
            throw new ShapeMismatchException("vae.postprocess", $"expected images [B, C, H, W], found {images.Shape}.");
        }

        using var scope = TensorScope.Begin();
        Tensor f32 = images.DType == DType.F32 ? images : Ops.Cast(images, DType.F32);

        // x·0.5 is exact, so 0.5·x + 0.5 rounds once like torch's images / 2 + 0.5.
        Tensor unit = Ops.Clamp(Ops.Affine(f32, 0.5f, 0.5f), 0f, 1f);
        return scope.Keep(Ops.Contiguous(unit.Permute(0, 2, 3, 1)));
    }

    /// <summary>8-bit images (diffusers <c>output_type="pil"</c> as arrays), one per batch item.</summary>
    /// <param name="images">[B, C, H, W] decoder output, nominally in [−1, 1].</param>
    /// <returns>B arrays of H·W·C bytes, rows top to bottom, channels interleaved (RGB for three channels).</returns>
    public static IReadOnlyList<byte[]> ToUInt8(Tensor images)
    {
        using Tensor unit = ToFloatImages(images);
        float[] values = unit.ToFloatArray();
        int batch = unit.Shape[0];
        int perImage = values.Length / Math.Max(batch, 1);
        var result = new byte[batch][];
        for (int b = 0; b < batch; b++)
        {
            byte[] pixels = new byte[perImage];
            ReadOnlySpan<float> source = values.AsSpan(b * perImage, perImage);
            for (int i = 0; i < pixels.Length; i++)
            {
                pixels[i] = Quantize(source[i]);
            }

            result[b] = pixels;
        }

        return result;
    }

    /// <summary>
    /// One value in [0, 1] to a byte: the f32 product v·255 rounded half to even (2.5 → 2, 3.5 → 4), as NumPy's
    /// <c>(images * 255).round().astype("uint8")</c>; values outside [0, 1] saturate, NaN gives 0.
    /// </summary>
    public static byte Quantize(float value)
    {
        float scaled = value * 255f;
        float rounded = MathF.Round(scaled, MidpointRounding.ToEven);
        return rounded >= 255f ? (byte)255 : rounded > 0f ? (byte)rounded : (byte)0;
    }
}
