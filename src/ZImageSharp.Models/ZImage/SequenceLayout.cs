using ZImageSharp.Tensors;

namespace ZImageSharp.Models.ZImage;

/// <summary>
/// The host-side geometry of one forward, from shapes only: per item the image and caption token counts, their
/// lengths padded to a multiple of 32, and every token's 3-axis position ids (spec 2.6, 2.7).
/// </summary>
/// <remarks>Reference: diffusers <c>transformer_z_image.py</c> <c>patchify_and_embed</c> (SEQ_MULTI_OF = 32).</remarks>
internal sealed class SequenceLayout
{
    /// <summary>Image and caption token counts are each padded up to a multiple of this (<c>SEQ_MULTI_OF</c>).</summary>
    public const int Multiple = 32;

    private SequenceLayout(int batch)
    {
        Batch = batch;
        ImageTokens = new int[batch];
        ImageLengths = new int[batch];
        CaptionTokens = new int[batch];
        CaptionLengths = new int[batch];
        UnifiedLengths = new int[batch];
        ImagePositions = new int[batch][];
        CaptionPositions = new int[batch][];
        UnifiedPositions = new int[batch][];
    }

    /// <summary>Number of items.</summary>
    public int Batch { get; }

    /// <summary>Per item: real image tokens (Ft·Ht·Wt).</summary>
    public int[] ImageTokens { get; }

    /// <summary>Per item: image tokens padded to a multiple of 32.</summary>
    public int[] ImageLengths { get; }

    /// <summary>Per item: real caption tokens.</summary>
    public int[] CaptionTokens { get; }

    /// <summary>Per item: caption tokens padded to a multiple of 32.</summary>
    public int[] CaptionLengths { get; }

    /// <summary>Per item: the unified sequence [image (padded) ; caption (padded)].</summary>
    public int[] UnifiedLengths { get; }

    /// <summary>Per item: position ids [ImageLengths, 3]: (Lc + 1 + f, h, w) for image tokens, (0, 0, 0) for pad rows.</summary>
    public int[][] ImagePositions { get; }

    /// <summary>Per item: position ids [CaptionLengths, 3]: (j + 1, 0, 0) for caption row j, pad rows included.</summary>
    public int[][] CaptionPositions { get; }

    /// <summary>Per item: image positions followed by caption positions.</summary>
    public int[][] UnifiedPositions { get; }

    /// <summary>Checks a forward's inputs against the configuration and plans their sequences.</summary>
    /// <exception cref="ArgumentException">For inputs that do not fit the model or each other.</exception>
    public static SequenceLayout Plan(ZImageTransformerConfig config, IReadOnlyList<Tensor> latents, Tensor timesteps, IReadOnlyList<Tensor> captions)
    {
        ArgumentNullException.ThrowIfNull(latents);
        ArgumentNullException.ThrowIfNull(timesteps);
        ArgumentNullException.ThrowIfNull(captions);
        int batch = latents.Count;
        if (batch == 0 || captions.Count != batch || timesteps.Shape != new Shape(batch))
        {
            throw new ArgumentException($"Expected B ≥ 1 latents, B captions and timesteps [B]; got {batch} latents, {captions.Count} captions, timesteps {timesteps.Shape}.", nameof(latents));
        }

        var grids = new (int Frames, int Rows, int Columns)[batch];
        var captionTokens = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            Tensor latent = latents[b] ?? throw new ArgumentNullException(nameof(latents), $"latents[{b}] is null.");
            Tensor caption = captions[b] ?? throw new ArgumentNullException(nameof(captions), $"captions[{b}] is null.");
            if (latent.Rank != 4 || latent.Shape[0] != config.InChannels)
            {
                throw new ArgumentException($"latents[{b}] must be [{config.InChannels}, F, H, W], found {latent.Shape}.", nameof(latents));
            }

            if (caption.Rank != 2 || caption.Shape[0] == 0 || caption.Shape[1] != config.CapFeatDim)
            {
                throw new ArgumentException($"captions[{b}] must be [L ≥ 1, {config.CapFeatDim}], found {caption.Shape}.", nameof(captions));
            }

            grids[b] = Patchifier.Grid(latent.Shape, config.PatchSize, config.FPatchSize);
            captionTokens[b] = caption.Shape[0];
        }

        return Plan(grids, captionTokens);
    }

    /// <summary>Plans a batch.</summary>
    /// <param name="grids">Per item the token grid (frames, rows, columns).</param>
    /// <param name="captionTokens">Per item the number of caption tokens (≥ 1).</param>
    public static SequenceLayout Plan(IReadOnlyList<(int Frames, int Rows, int Columns)> grids, IReadOnlyList<int> captionTokens)
    {
        var layout = new SequenceLayout(grids.Count);
        for (int i = 0; i < grids.Count; i++)
        {
            var (frames, rows, columns) = grids[i];
            int captionLength = PadToMultiple(captionTokens[i]);
            layout.CaptionTokens[i] = captionTokens[i];
            layout.CaptionLengths[i] = captionLength;
            layout.ImageTokens[i] = frames * rows * columns;
            layout.ImageLengths[i] = PadToMultiple(frames * rows * columns);
            layout.UnifiedLengths[i] = layout.ImageLengths[i] + captionLength;

            // Caption row j → (j + 1, 0, 0), pad rows too; the image starts on axis 0 right after the padded caption.
            int[] caption = new int[captionLength * 3];
            for (int j = 0; j < captionLength; j++)
            {
                caption[3 * j] = j + 1;
            }

            // Image tokens in (f, h, w) row-major order; image pad rows keep (0, 0, 0).
            int[] image = new int[layout.ImageLengths[i] * 3];
            int t = 0;
            for (int f = 0; f < frames; f++)
            {
                for (int h = 0; h < rows; h++)
                {
                    for (int w = 0; w < columns; w++, t++)
                    {
                        image[3 * t] = captionLength + 1 + f;
                        image[(3 * t) + 1] = h;
                        image[(3 * t) + 2] = w;
                    }
                }
            }

            layout.CaptionPositions[i] = caption;
            layout.ImagePositions[i] = image;
            layout.UnifiedPositions[i] = [.. image, .. caption];
        }

        return layout;
    }

    /// <summary>n rounded up to a multiple of 32.</summary>
    public static int PadToMultiple(int n) => checked(n + ((Multiple - (n % Multiple)) % Multiple));

    /// <summary>The longest of <paramref name="lengths"/>.</summary>
    public static int Max(int[] lengths) => lengths.Max();

    /// <summary>True when the items differ in length, so batch padding must be masked out of attention.</summary>
    public static bool NeedsMask(int[] lengths) => lengths.Any(l => l != lengths[0]);
}
