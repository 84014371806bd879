using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Vae;

/// <summary>
/// The Flux / Z-Image VAE (diffusers <c>AutoencoderKL</c> without quant convs), loaded from diffusers parameter names:
/// decoding of scaled latents to images, encoding of images to the latent distribution's mean and log-variance, and
/// the pipeline's latent scaling. Weights keep their checkpoint dtype (F32 or BF16); activations are F32.
/// </summary>
public sealed class AutoencoderKl : IDisposable
{
    private AutoencoderKl(AutoencoderKlConfig config, VaeDecoder decoder, VaeEncoder? encoder)
    {
        Config = config;
        Decoder = decoder;
        Encoder = encoder;
    }

    /// <summary>The configuration.</summary>
    public AutoencoderKlConfig Config { get; }

    /// <summary>The decoder.</summary>
    public VaeDecoder Decoder { get; }

    /// <summary>The encoder, or null when loaded without it.</summary>
    public VaeEncoder? Encoder { get; }

    /// <summary>
    /// Loads the model strictly: every tensor under <paramref name="weights"/> must be used, except the encoder's when
    /// <paramref name="loadEncoder"/> is false, which are skipped on purpose (text-to-image only decodes).
    /// </summary>
    /// <param name="weights">The VAE checkpoint with diffusers names (<c>encoder.*</c>, <c>decoder.*</c>).</param>
    /// <param name="config">Its configuration (<see cref="AutoencoderKlConfig.Flux"/> for a checkpoint without one).</param>
    /// <param name="loadEncoder">Whether to load the encoder (needed by <see cref="Encode"/> only).</param>
    /// <exception cref="IO.Checkpoints.CheckpointException">For a missing tensor, a wrong shape (naming the tensor) or an unused tensor.</exception>
    public static AutoencoderKl Load(WeightMap weights, AutoencoderKlConfig config, bool loadEncoder = true)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        VaeEncoder? encoder = null;
        VaeDecoder? decoder = null;

        // Weights outlive any scope of the caller. A block that fails half-way leaves its loaded tensors to the
        // storage finalisers; whole blocks are released here.
        using (TensorScope.Suspend())
        {
            try
            {
                if (loadEncoder)
                {
                    encoder = new VaeEncoder(weights.Sub("encoder"), config);
                }
                else
                {
                    weights.Skip("encoder");
                }

                decoder = new VaeDecoder(weights.Sub("decoder"), config);
                weights.ThrowIfUnused();
                return new AutoencoderKl(config, decoder, encoder);
            }
            catch
            {
                encoder?.Dispose();
                decoder?.Dispose();
                throw;
            }
        }
    }

    /// <summary>Decodes latents that are already scaled (<see cref="ScaleLatents"/>) to images in nominal [−1, 1].</summary>
    /// <remarks>
    /// Activations are released as soon as they are consumed; the peak is in the last up block at full resolution,
    /// about 2.5 GiB of F32 activations per 1024² image. The batch is decoded at once, so memory grows with B; decode
    /// <c>z.Narrow(0, b, 1)</c> one at a time to bound it (the images are independent, the result is the same).
    /// </remarks>
    /// <param name="z">[B, latent, h, w]; any float dtype (computed in F32).</param>
    /// <param name="trace">Receives the decoder's module outputs as <c>decoder.*</c>, or null.</param>
    /// <returns>F32 [B, out, h·f, w·f], f = <see cref="AutoencoderKlConfig.ScaleFactor"/>.</returns>
    /// <exception cref="ShapeMismatchException">When <paramref name="z"/> is not [B, latent, h, w].</exception>
    public Tensor Decode(Tensor z, VaeTrace? trace = null)
    {
        CheckInput("vae.decode", z, Config.LatentChannels, "latent");
        using Tensor input = AsF32(z);
        return Decoder.Forward(input, trace?.Sub("decoder"));
    }

    /// <summary>Encodes images to the latent distribution (diffusers <c>latent_dist.mean</c> and <c>.logvar</c>).</summary>
    /// <param name="image">[B, in, H, W] in [−1, 1]; any float dtype (computed in F32).</param>
    /// <param name="trace">Receives the encoder's module outputs as <c>encoder.*</c>, or null.</param>
    /// <returns>F32 mean and log-variance clamped to [−30, 20], each [B, latent, ⌊H/f⌋, ⌊W/f⌋]; unscaled (see <see cref="UnscaleLatents"/>).</returns>
    /// <exception cref="InvalidOperationException">When the model was loaded without its encoder.</exception>
    /// <exception cref="ShapeMismatchException">When <paramref name="image"/> is not [B, in, H, W].</exception>
    public (Tensor Mean, Tensor LogVar) Encode(Tensor image, VaeTrace? trace = null)
    {
        VaeEncoder encoder = Encoder ?? throw new InvalidOperationException("The VAE was loaded without its encoder (loadEncoder: false).");
        CheckInput("vae.encode", image, Config.InChannels, "image");
        using var scope = TensorScope.Begin();
        Tensor input = AsF32(image);
        Tensor moments = encoder.Forward(input, trace?.Sub("encoder"));
        Tensor[] halves = moments.Chunk(2, 1);
        Tensor mean = Ops.Contiguous(halves[0]);
        Tensor logVar = Ops.Clamp(halves[1], -30f, 20f);
        return (scope.Keep(mean), scope.Keep(logVar));
    }

    /// <summary>The pipeline's step before decoding: latents / scaling_factor + shift_factor, in F32 (true division, then the addition).</summary>
    /// <param name="latents">Denoised latents [B, latent, h, w].</param>
    /// <returns>F32, same shape.</returns>
    public Tensor ScaleLatents(Tensor latents)
    {
        using var scope = TensorScope.Begin();
        Tensor divided = Ops.Div(AsF32(latents), Config.ScalingFactor);
        return scope.Keep(Ops.Affine(divided, 1f, Config.ShiftFactor));
    }

    /// <summary>The inverse, for image-to-image: scaling_factor·(x − shift_factor), in F32.</summary>
    /// <param name="latents">Encoder latents (mean or a sample) [B, latent, h, w].</param>
    /// <returns>F32, same shape.</returns>
    public Tensor UnscaleLatents(Tensor latents)
    {
        using var scope = TensorScope.Begin();
        Tensor shifted = Ops.Affine(AsF32(latents), 1f, -Config.ShiftFactor);
        return scope.Keep(Ops.Affine(shifted, Config.ScalingFactor, 0f));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Decoder.Dispose();
        Encoder?.Dispose();
    }

    /// <summary>A new reference to x when it is F32 already, else an F32 copy (the caller disposes either).</summary>
    private static Tensor AsF32(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.DType == DType.F32 ? x.Reshape(x.Shape.Dims) : Ops.Cast(x, DType.F32);
    }

    private static void CheckInput(string op, Tensor x, int channels, string what)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4 || x.Shape[1] != channels)
        {
            throw new ShapeMismatchException(op, $"expected {what} [B, {channels}, H, W], found {x.Shape}.");
        }
    }
}
