namespace ZImageSharp.Models.Qwen3;

/// <summary>The Qwen3 decoder configuration (Hugging Face <c>config.json</c> of the text encoder).</summary>
public sealed record Qwen3Config
{
    /// <summary>Rows of the embedding table (151936 for Qwen3-4B).</summary>
    public required int VocabSize { get; init; }

    /// <summary>Model width (2560).</summary>
    public required int HiddenSize { get; init; }

    /// <summary>SwiGLU hidden width (9728).</summary>
    public required int IntermediateSize { get; init; }

    /// <summary>Decoder layers (36).</summary>
    public required int NumHiddenLayers { get; init; }

    /// <summary>Query heads (32).</summary>
    public required int NumAttentionHeads { get; init; }

    /// <summary>Key/value heads (8): each serves NumAttentionHeads / NumKeyValueHeads query heads.</summary>
    public required int NumKeyValueHeads { get; init; }

    /// <summary>Width of one head (128); not necessarily HiddenSize / NumAttentionHeads.</summary>
    public required int HeadDim { get; init; }

    /// <summary>RMSNorm epsilon (1e-6).</summary>
    public required float RmsNormEps { get; init; }

    /// <summary>RoPE base (1e6).</summary>
    public required double RopeTheta { get; init; }

    /// <summary>Whether q/k/v/o projections have biases (false for Qwen3).</summary>
    public bool AttentionBias { get; init; }

    /// <summary>Qwen3-4B, Z-Image's text encoder (for checkpoints that ship without a config, e.g. ComfyUI's qwen_3_4b).</summary>
    public static Qwen3Config Qwen3_4B { get; } = new()
    {
        VocabSize = 151936,
        HiddenSize = 2560,
        IntermediateSize = 9728,
        NumHiddenLayers = 36,
        NumAttentionHeads = 32,
        NumKeyValueHeads = 8,
        HeadDim = 128,
        RmsNormEps = 1e-6f,
        RopeTheta = 1_000_000,
    };

    /// <summary>Reads a config.json, checking every value the model depends on.</summary>
    /// <exception cref="ConfigException">Naming the file and the field.</exception>
    public static Qwen3Config Load(string path) => From(ConfigReader.Load(path));

    /// <summary>Parses config.json text; <paramref name="source"/> names it in messages.</summary>
    public static Qwen3Config Parse(string json, string source) => From(ConfigReader.Parse(json, source));

    private static Qwen3Config From(ConfigReader c)
    {
        string act = c.String("hidden_act") ?? "silu";
        if (act != "silu")
        {
            throw new ConfigException(c.Source, $"hidden_act '{act}' is not supported (Qwen3 uses silu).");
        }

        ConfigReader? rope = c.Object("rope_parameters") ?? c.Object("rope_scaling");
        string ropeType = rope?.String("rope_type") ?? rope?.String("type") ?? "default";
        if (ropeType != "default")
        {
            throw new ConfigException(c.Source, $"rope_type '{ropeType}' is not supported (only the default RoPE).");
        }

        double theta = c.Has("rope_theta") ? c.Double("rope_theta") : rope?.Double("rope_theta", 10000.0) ?? 10000.0;
        int heads = c.PositiveInt("num_attention_heads");
        int hidden = c.PositiveInt("hidden_size");
        var config = new Qwen3Config
        {
            VocabSize = c.PositiveInt("vocab_size"),
            HiddenSize = hidden,
            IntermediateSize = c.PositiveInt("intermediate_size"),
            NumHiddenLayers = c.PositiveInt("num_hidden_layers"),
            NumAttentionHeads = heads,
            NumKeyValueHeads = c.PositiveInt("num_key_value_heads", heads),
            HeadDim = c.PositiveInt("head_dim", hidden / heads),
            RmsNormEps = (float)c.Double("rms_norm_eps", 1e-6),
            RopeTheta = theta,
            AttentionBias = c.Bool("attention_bias", false),
        };

        if (config.NumAttentionHeads % config.NumKeyValueHeads != 0)
        {
            throw new ConfigException(c.Source, $"num_attention_heads {config.NumAttentionHeads} is not a multiple of num_key_value_heads {config.NumKeyValueHeads}.");
        }

        if (config.HeadDim % 2 != 0)
        {
            throw new ConfigException(c.Source, $"head_dim {config.HeadDim} must be even for RoPE.");
        }

        return config;
    }
}
