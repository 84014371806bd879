using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Qwen3;

/// <summary>
/// The Qwen3 decoder stack (HF <c>Qwen3Model</c>: embeddings, decoder layers, final RMSNorm; no LM head). It can load
/// only the first layers and skip the final norm, for users of an intermediate hidden state such as Z-Image.
/// </summary>
public sealed class Qwen3Model : IDisposable
{
    private readonly Embedding _embedTokens;
    private readonly Qwen3DecoderLayer[] _layers;
    private readonly RmsNorm? _norm;

    private Qwen3Model(Qwen3Config config, Embedding embedTokens, Qwen3DecoderLayer[] layers, RmsNorm? norm)
    {
        Config = config;
        _embedTokens = embedTokens;
        _layers = layers;
        _norm = norm;
    }

    /// <summary>The configuration.</summary>
    public Qwen3Config Config { get; }

    /// <summary>Number of decoder layers loaded (and run).</summary>
    public int LayerCount => _layers.Length;

    /// <summary>Whether the final RMSNorm is loaded (and applied to the last layer's output).</summary>
    public bool HasFinalNorm => _norm is not null;

    /// <summary>
    /// Loads the model from checkpoint names with or without the <c>model.</c> prefix (HF Qwen3ForCausalLM / Qwen3Model).
    /// Tensors of layers beyond <paramref name="layerCount"/>, the final norm when not wanted and a tied
    /// <c>lm_head.weight</c> are skipped on purpose; any other unused tensor is an error.
    /// </summary>
    /// <param name="weights">The text encoder checkpoint.</param>
    /// <param name="config">Its configuration.</param>
    /// <param name="layerCount">How many leading layers to load; all when null.</param>
    /// <param name="finalNorm">Whether to load and apply the final norm.</param>
    /// <exception cref="IO.Checkpoints.CheckpointException">For a missing tensor, a wrong shape or an unexpected tensor.</exception>
    public static Qwen3Model Load(WeightMap weights, Qwen3Config config, int? layerCount = null, bool finalNorm = true)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        int count = layerCount ?? config.NumHiddenLayers;
        ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(layerCount));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, config.NumHiddenLayers, nameof(layerCount));

        WeightMap root = weights.Contains("model.embed_tokens.weight") ? weights.Sub("model") : weights;
        var layers = new List<Qwen3DecoderLayer>(count);
        Embedding? embed = null;
        RmsNorm? norm = null;
        using (TensorScope.Suspend())
        {
            try
            {
                embed = new Embedding(root.Sub("embed_tokens"), config.VocabSize, config.HiddenSize);
                for (int i = 0; i < count; i++)
                {
                    layers.Add(new Qwen3DecoderLayer(config, root.Sub("layers").Sub(i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
                }

                norm = finalNorm ? new RmsNorm(root.Sub("norm"), config.HiddenSize, config.RmsNormEps) : null;
                for (int i = count; i < config.NumHiddenLayers; i++)
                {
                    root.Sub("layers").Skip(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                if (!finalNorm)
                {
                    root.Skip("norm");
                }

                if (weights.Contains("lm_head.weight"))
                {
                    weights.Skip("lm_head");
                }

                weights.ThrowIfUnused();
                return new Qwen3Model(config, embed, [.. layers], norm);
            }
            catch
            {
                embed?.Dispose();
                norm?.Dispose();
                foreach (Qwen3DecoderLayer layer in layers)
                {
                    layer.Dispose();
                }

                throw;
            }
        }
    }

    /// <summary>Runs the loaded layers.</summary>
    /// <param name="inputIds">I32 or I64 [B, L].</param>
    /// <param name="keyMask">U8 [B, L] (1 = real token, right padding) or null when nothing is padded.</param>
    /// <param name="dtype">Activation dtype (F32 or BF16); weights keep their own.</param>
    /// <param name="hiddenStates">When given, receives the embedding output and every layer's output, the last one
    /// after the final norm when it is loaded (HF's <c>hidden_states</c> tuple); the caller owns them.</param>
    /// <returns>[B, L, hidden]: the last loaded layer's output, final-normed when <see cref="HasFinalNorm"/>.</returns>
    public Tensor Forward(Tensor inputIds, Tensor? keyMask, DType dtype = DType.F32, IList<Tensor>? hiddenStates = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        var (_, length) = inputIds.Shape.Dims2();
        var (cos, sin) = Qwen3Rope.Tables(inputIds.Backend, length, Config.HeadDim, Config.RopeTheta);
        using (cos)
        using (sin)
        {
            Tensor h = _embedTokens.Forward(inputIds, dtype);
            foreach (Qwen3DecoderLayer layer in _layers)
            {
                Tensor next;
                using (var scope = TensorScope.Begin())
                {
                    next = scope.Keep(layer.Forward(h, cos, sin, keyMask));
                }

                Retire(h, hiddenStates);
                h = next;
            }

            if (_norm is not null)
            {
                Tensor normed = _norm.Forward(h);
                Retire(h, hiddenStates: null);
                h = normed;
            }

            hiddenStates?.Add(h.Reshape(h.Shape.ToArray()));
            return h;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _embedTokens.Dispose();
        _norm?.Dispose();
        foreach (Qwen3DecoderLayer layer in _layers)
        {
            layer.Dispose();
        }
    }

    /// <summary>Hands an intermediate state to the collector, or frees it.</summary>
    private static void Retire(Tensor h, IList<Tensor>? hiddenStates)
    {
        if (hiddenStates is null)
        {
            h.Dispose();
        }
        else
        {
            hiddenStates.Add(h);
        }
    }
}
