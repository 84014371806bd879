using ZImageSharp.Models.ZImage;

namespace ZImageSharp.Cli.Commands.Bench;

/// <summary>
/// Useful FLOPs of one Z-Image transformer forward for one image: the linears (2·tokens·in·out) and attention
/// (4·S²·dim per layer) of the refiners and main layers, plus the embedders and final layer; small terms (norms,
/// RoPE, the per-image adaLN) are left out. Sequences are padded to multiples of 32 as the model pads them.
/// </summary>
internal static class DitFlops
{
    public static double Forward(ZImageTransformerConfig config, int imageTokens, int captionTokens)
    {
        static long Pad(long n) => (n + 31) / 32 * 32;
        long image = Pad(imageTokens);
        long caption = Pad(captionTokens);
        double dim = config.Dim;
        double PerLayer(long tokens) => (2.0 * tokens * ((4 * dim * dim) + (3 * dim * config.FfnHidden))) + (4.0 * tokens * tokens * dim);

        double embed = (2.0 * image * config.PatchVectorLength * dim) + (2.0 * caption * config.CapFeatDim * dim);
        double refiners = config.NRefinerLayers * (PerLayer(image) + PerLayer(caption));
        double main = config.NLayers * PerLayer(image + caption);
        double final = 2.0 * image * dim * config.PatchVectorLength;
        return embed + refiners + main + final;
    }
}
