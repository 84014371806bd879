namespace ZImageSharp.Models.ZImage;

/// <summary>
/// The S3-DiT configuration (diffusers <c>ZImageTransformer2DModel</c>, <c>transformer/config.json</c>). Field names
/// follow the JSON keys; derived sizes (<see cref="HeadDim"/>, <see cref="FfnHidden"/>, ...) are computed exactly as
/// the reference computes them.
/// </summary>
public sealed record ZImageTransformerConfig
{
    /// <summary>Spatial patch sizes p, one per embedder (<c>all_patch_size</c>; [2]).</summary>
    public required IReadOnlyList<int> AllPatchSize { get; init; }

    /// <summary>Temporal patch sizes pF, one per embedder (<c>all_f_patch_size</c>; [1]).</summary>
    public required IReadOnlyList<int> AllFPatchSize { get; init; }

    /// <summary>Latent channels in and out (16).</summary>
    public required int InChannels { get; init; }

    /// <summary>Model width D (3840).</summary>
    public required int Dim { get; init; }

    /// <summary>Main (joint) blocks (30).</summary>
    public required int NLayers { get; init; }

    /// <summary>Blocks in each of the noise refiner and the context refiner (2).</summary>
    public required int NRefinerLayers { get; init; }

    /// <summary>Attention heads (30).</summary>
    public required int NHeads { get; init; }

    /// <summary>Key/value heads as written in the config. diffusers ignores it (k and v have <see cref="NHeads"/> heads), and so does this engine.</summary>
    public required int NKvHeads { get; init; }

    /// <summary>Epsilon of the block RMSNorms and of the caption embedder's RMSNorm (1e-5); not of the q/k norms.</summary>
    public required float NormEps { get; init; }

    /// <summary>Whether q and k get a per-head RMSNorm (true).</summary>
    public required bool QkNorm { get; init; }

    /// <summary>Width of the caption features from the text encoder (2560).</summary>
    public required int CapFeatDim { get; init; }

    /// <summary>RoPE base θ (256).</summary>
    public required double RopeTheta { get; init; }

    /// <summary>Factor from the model time t ∈ [0, 1] to the sinusoidal embedding's input (1000).</summary>
    public required double TScale { get; init; }

    /// <summary>Head-dimension split between the (frame/caption, row, column) RoPE axes ([32, 48, 48]); sums to <see cref="HeadDim"/>.</summary>
    public required IReadOnlyList<int> AxesDims { get; init; }

    /// <summary>Number of positions each RoPE axis supports ([1536, 512, 512]).</summary>
    public required IReadOnlyList<int> AxesLens { get; init; }

    /// <summary>
    /// The released Z-Image-Turbo configuration (spec 2.1), for checkpoints that ship without a config.json. Note
    /// axes_lens [1536, 512, 512] from the checkpoint config, not diffusers' class default [1024, 512, 512].
    /// </summary>
    public static ZImageTransformerConfig Turbo { get; } = new()
    {
        AllPatchSize = [2],
        AllFPatchSize = [1],
        InChannels = 16,
        Dim = 3840,
        NLayers = 30,
        NRefinerLayers = 2,
        NHeads = 30,
        NKvHeads = 30,
        NormEps = 1e-5f,
        QkNorm = true,
        CapFeatDim = 2560,
        RopeTheta = 256.0,
        TScale = 1000.0,
        AxesDims = [32, 48, 48],
        AxesLens = [1536, 512, 512],
    };

    /// <summary>The spatial patch size p of the (only) embedder.</summary>
    public int PatchSize => AllPatchSize[0];

    /// <summary>The temporal patch size pF of the (only) embedder.</summary>
    public int FPatchSize => AllFPatchSize[0];

    /// <summary>Output channels (= <see cref="InChannels"/>).</summary>
    public int OutChannels => InChannels;

    /// <summary>Width of one head: Dim / NHeads (128).</summary>
    public int HeadDim => Dim / NHeads;

    /// <summary>SwiGLU hidden width, Python's <c>int(dim / 3 * 8)</c> (10240; 341 for dim 128).</summary>
    public int FfnHidden => (int)(Dim / 3.0 * 8.0);

    /// <summary>Width of the timestep embedding that drives adaLN: min(Dim, 256).</summary>
    public int AdaLnDim => Math.Min(Dim, 256);

    /// <summary>Features per patch token: pF·p·p·C (64).</summary>
    public int PatchVectorLength => FPatchSize * PatchSize * PatchSize * InChannels;

    /// <summary>The checkpoint key of the embedder and final layer, <c>"{p}-{pF}"</c> ("2-1").</summary>
    public string PatchKey => $"{PatchSize}-{FPatchSize}";

    /// <summary>Reads a transformer/config.json, checking every value the model depends on.</summary>
    /// <exception cref="ConfigException">Naming the file and the field.</exception>
    public static ZImageTransformerConfig Load(string path) => From(ConfigReader.Load(path));

    /// <summary>Parses config.json text; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="ConfigException">Naming the source and the field.</exception>
    public static ZImageTransformerConfig Parse(string json, string source) => From(ConfigReader.Parse(json, source));

    /// <summary>Checks the values the model depends on (also for configs built in code or with <c>with</c>).</summary>
    /// <param name="source">Names the configuration in messages.</param>
    /// <exception cref="ConfigException">Naming the field.</exception>
    public void Validate(string source)
    {
        Positive(source, "in_channels", InChannels);
        Positive(source, "dim", Dim);
        Positive(source, "n_heads", NHeads);
        Positive(source, "n_kv_heads", NKvHeads);
        Positive(source, "cap_feat_dim", CapFeatDim);
        Require(source, NLayers >= 0, $"field 'n_layers' must not be negative, found {NLayers}.");
        Require(source, NRefinerLayers >= 0, $"field 'n_refiner_layers' must not be negative, found {NRefinerLayers}.");
        Require(source, NormEps > 0 && float.IsFinite(NormEps), $"field 'norm_eps' must be positive, found {NormEps}.");
        Require(source, RopeTheta > 0 && double.IsFinite(RopeTheta), $"field 'rope_theta' must be positive, found {RopeTheta}.");
        Require(source, double.IsFinite(TScale), $"field 't_scale' must be finite, found {TScale}.");

        // Only the released patching is verified against the reference; other patch sizes would need their own fixtures.
        bool releasedPatching = AllPatchSize is [2] && AllFPatchSize is [1];
        Require(source, releasedPatching, $"fields 'all_patch_size' {Format(AllPatchSize)} / 'all_f_patch_size' {Format(AllFPatchSize)}: only [2] / [1] (the released Z-Image models) is supported.");

        Require(source, Dim % NHeads == 0, $"field 'dim' {Dim} is not a multiple of 'n_heads' {NHeads}.");
        Require(source, AxesDims.Count == 3 && AxesLens.Count == 3, $"fields 'axes_dims' {Format(AxesDims)} and 'axes_lens' {Format(AxesLens)} must have 3 entries each (frame/caption, row, column).");
        foreach (int d in AxesDims)
        {
            Require(source, d > 0 && d % 2 == 0, $"field 'axes_dims' {Format(AxesDims)}: every entry must be positive and even (complex pairs).");
        }

        foreach (int n in AxesLens)
        {
            Require(source, n > 0, $"field 'axes_lens' {Format(AxesLens)}: every entry must be positive.");
        }

        int sum = AxesDims[0] + AxesDims[1] + AxesDims[2];
        Require(source, sum == HeadDim, $"field 'axes_dims' {Format(AxesDims)} sums to {sum}, but the head dimension dim / n_heads is {HeadDim}.");
    }

    private static ZImageTransformerConfig From(ConfigReader c)
    {
        string? className = c.String("_class_name");
        if (className is not null && className != "ZImageTransformer2DModel")
        {
            throw new ConfigException(c.Source, $"field '_class_name' is '{className}', expected 'ZImageTransformer2DModel'.");
        }

        if (c.Has("siglip_feat_dim"))
        {
            throw new ConfigException(c.Source, "field 'siglip_feat_dim' is set: the Z-Image Omni/Edit variant (SigLIP image conditioning) is not supported.");
        }

        var config = new ZImageTransformerConfig
        {
            AllPatchSize = c.IntArray("all_patch_size"),
            AllFPatchSize = c.IntArray("all_f_patch_size"),
            InChannels = c.Int("in_channels"),
            Dim = c.Int("dim"),
            NLayers = c.Int("n_layers"),
            NRefinerLayers = c.Int("n_refiner_layers"),
            NHeads = c.Int("n_heads"),
            NKvHeads = c.Int("n_kv_heads"),
            NormEps = (float)c.Double("norm_eps"),
            QkNorm = c.Bool("qk_norm", fallback: true),
            CapFeatDim = c.Int("cap_feat_dim"),
            RopeTheta = c.Double("rope_theta"),
            TScale = c.Double("t_scale"),
            AxesDims = c.IntArray("axes_dims"),
            AxesLens = c.IntArray("axes_lens"),
        };
        config.Validate(c.Source);
        return config;
    }

    private static void Positive(string source, string field, int value)
        => Require(source, value > 0, $"field '{field}' must be positive, found {value}.");

    private static void Require(string source, bool condition, string problem)
    {
        if (!condition)
        {
            throw new ConfigException(source, problem);
        }
    }

    private static string Format(IReadOnlyList<int> values) => $"[{string.Join(", ", values)}]";
}
