using ZImageSharp.Models.Qwen3;

namespace ZImageSharp.Cli.Commands.Bench;

/// <summary>
/// Useful FLOPs of the Z-Image text encoder on one prompt of L tokens: the q/k/v/o and SwiGLU linears of the layers
/// it runs (all but the last), and causal attention (2·L²·heads·headDim per layer: half of the full square).
/// 7.06 GFLOP per token of linears for Qwen3-4B (spec §7.3).
/// </summary>
internal static class TextEncoderFlops
{
    public static double Encode(Qwen3Config config, int layers, int tokens)
    {
        double hidden = config.HiddenSize;
        double q = (double)config.NumAttentionHeads * config.HeadDim;
        double kv = (double)config.NumKeyValueHeads * config.HeadDim;
        double linears = 2.0 * tokens * ((hidden * (q + (2 * kv))) + (q * hidden) + (3 * hidden * config.IntermediateSize));
        double attention = 2.0 * tokens * tokens * q;
        return layers * (linears + attention);
    }
}
