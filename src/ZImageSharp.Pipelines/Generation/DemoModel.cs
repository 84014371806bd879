using ZImageSharp.IO.Weights;
using ZImageSharp.Models.Qwen3;
using ZImageSharp.Models.Vae;
using ZImageSharp.Models.ZImage;
using ZImageSharp.Pipelines.Schedulers;
using ZImageSharp.Tensors;
using ZImageSharp.Tokenizers;

namespace ZImageSharp.Pipelines;

/// <summary>
/// The built-in demo: the real Z-Image architecture (Qwen3 encoder, S3-DiT, Flux-style VAE with 4 levels) at toy size
/// with deterministic random weights and a byte-level tokenizer, so <c>zimage generate</c> runs on a fresh machine
/// without downloads. Its images are abstract patterns: the weights were never trained.
/// </summary>
public static class DemoModel
{
    /// <summary>Seed of the synthetic weights (fixed, so every machine makes the same demo images).</summary>
    public const ulong WeightSeed = 0x5A_49_4D_41_47_45; // "ZIMAGE"

    /// <summary>How the demo describes itself (in results and image metadata).</summary>
    public const string Description = "built-in demo model (random weights)";

    /// <summary>The special tokens the chat template needs, after the 256 byte tokens.</summary>
    private static readonly string[] s_specialTokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];

    /// <summary>The demo's text encoder configuration (Qwen3 layout, 64 wide, 2 layers).</summary>
    public static Qwen3Config TextEncoderConfig { get; } = new()
    {
        VocabSize = 512,
        HiddenSize = 64,
        IntermediateSize = 192,
        NumHiddenLayers = 3,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        HeadDim = 16,
        RmsNormEps = 1e-6f,
        RopeTheta = 1_000_000,
    };

    /// <summary>The demo's transformer configuration (Z-Image layout: 2+2 refiners, 2 layers, 128 wide).</summary>
    public static ZImageTransformerConfig TransformerConfig { get; } = ZImageTransformerConfig.Turbo with
    {
        Dim = 128,
        NLayers = 2,
        NRefinerLayers = 2,
        NHeads = 4,
        NKvHeads = 4,
        CapFeatDim = 64,
        AxesDims = [8, 12, 12],
        AxesLens = [1024, 256, 256],
    };

    /// <summary>The demo's VAE configuration (4 levels: the real ×8 scale factor, 32–64 channels).</summary>
    public static AutoencoderKlConfig VaeConfig { get; } = AutoencoderKlConfig.Flux with
    {
        BlockOutChannels = [32, 32, 64, 64],
        LayersPerBlock = 1,
        NormNumGroups = 8,
    };

    /// <summary>Builds the demo components on <paramref name="backend"/>.</summary>
    public static ZImageComponents Create(IBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var tokenizer = new ChatPromptTokenizer(BpeTokenizer.CreateByteLevel(s_specialTokens));
        ZImageTextEncoder? textEncoder = null;
        ZImageTransformer? transformer = null;
        try
        {
            textEncoder = ZImageTextEncoder.Load(WeightMap.Synthetic(backend, WeightSeed), TextEncoderConfig);
            transformer = ZImageTransformer.Load(WeightMap.Synthetic(backend, WeightSeed + 1), TransformerConfig);
            AutoencoderKl vae = AutoencoderKl.Load(WeightMap.Synthetic(backend, WeightSeed + 2), VaeConfig, loadEncoder: false);
            return new ZImageComponents(tokenizer, textEncoder, transformer, vae, FlowMatchSchedulerConfig.ZImageTurbo, Description);
        }
        catch
        {
            textEncoder?.Dispose();
            transformer?.Dispose();
            throw;
        }
    }
}
