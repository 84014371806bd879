using ZImageSharp.Models.Vae;

namespace ZImageSharp.Cli.Commands.Bench;

/// <summary>
/// Useful FLOPs of one VAE decode (diffusers <c>Decoder</c>): every convolution (2·Cin·Cout·k²·H·W), the mid block's
/// attention (its four linears and 4·S²·C for the scores and the weighted sum); norms, SiLU and upsampling are left
/// out. 10.5 TFLOP for the Flux VAE at 1024² (spec §7.3).
/// </summary>
internal static class VaeFlops
{
    public static double Decode(AutoencoderKlConfig config, int latentHeight, int latentWidth)
    {
        static double Conv(int cin, int cout, int k, double pixels) => 2.0 * cin * cout * k * k * pixels;
        double Resnet(int cin, int cout, double pixels) =>
            Conv(cin, cout, 3, pixels) + Conv(cout, cout, 3, pixels) + (cin != cout ? Conv(cin, cout, 1, pixels) : 0);

        IReadOnlyList<int> channels = config.BlockOutChannels;
        int top = channels[^1];
        double pixels = (double)latentHeight * latentWidth;
        double flops = Conv(config.LatentChannels, top, 3, pixels);

        // Mid block: resnet, attention over every latent pixel, resnet.
        flops += 2 * Resnet(top, top, pixels);
        if (config.MidBlockAddAttention)
        {
            flops += (4 * 2.0 * pixels * top * top) + (4.0 * pixels * pixels * top);
        }

        // Up blocks, coarsest first: LayersPerBlock + 1 resnets, then (all but the last) ×2 nearest + a 3×3 conv.
        int previous = top;
        for (int level = channels.Count - 1; level >= 0; level--)
        {
            int c = channels[level];
            for (int r = 0; r <= config.LayersPerBlock; r++)
            {
                flops += Resnet(r == 0 ? previous : c, c, pixels);
            }

            if (level > 0)
            {
                pixels *= 4;
                flops += Conv(c, c, 3, pixels);
            }

            previous = c;
        }

        return flops + Conv(channels[0], config.OutChannels, 3, pixels);
    }
}
