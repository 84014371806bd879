using ZImageSharp.IO.Weights;
using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Qwen3;

/// <summary>
/// The text side of Z-Image: prompt token ids → caption features. It is HF's <c>hidden_states[-2]</c> of Qwen3 — the
/// raw output of the second-to-last decoder layer, without the final norm — so the last layer and the final norm are
/// never loaded or computed. Only each prompt's valid rows are returned.
/// </summary>
public sealed class ZImageTextEncoder : IDisposable
{
    private readonly Qwen3Model _model;

    private ZImageTextEncoder(Qwen3Model model) => _model = model;

    /// <summary>The Qwen3 configuration.</summary>
    public Qwen3Config Config => _model.Config;

    /// <summary>Number of decoder layers run per prompt (NumHiddenLayers − 1).</summary>
    public int LayerCount => _model.LayerCount;

    /// <summary>Width of the caption features.</summary>
    public int HiddenSize => _model.Config.HiddenSize;

    /// <summary>Loads all but the last layer; see <see cref="Qwen3Model.Load"/> for the checkpoint rules.</summary>
    public static ZImageTextEncoder Load(WeightMap weights, Qwen3Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.NumHiddenLayers < 2)
        {
            throw new ConfigException("text encoder", $"num_hidden_layers {config.NumHiddenLayers}: Z-Image needs at least 2 (it uses the second-to-last layer).");
        }

        return new ZImageTextEncoder(Qwen3Model.Load(weights, config, config.NumHiddenLayers - 1, finalNorm: false));
    }

    /// <summary>Encodes a batch of prompts (already templated and tokenized), right-padding them into one forward.</summary>
    /// <param name="backend">Where to compute.</param>
    /// <param name="prompts">Token ids per prompt (each non-empty).</param>
    /// <param name="dtype">Activation and result dtype.</param>
    /// <returns>Per prompt a [length, hidden] tensor the caller owns.</returns>
    public IReadOnlyList<Tensor> Encode(IBackend backend, IReadOnlyList<int[]> prompts, DType dtype = DType.F32)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(prompts);
        if (prompts.Count == 0 || prompts.Any(p => p is null || p.Length == 0))
        {
            throw new ArgumentException("Every prompt needs at least one token.", nameof(prompts));
        }

        int batch = prompts.Count;
        int length = prompts.Max(p => p.Length);
        var ids = new int[batch * length];
        var mask = new byte[batch * length];
        for (int b = 0; b < batch; b++)
        {
            // Padding ids are arbitrary valid ids: with right padding and causal attention no real token sees them.
            prompts[b].CopyTo(ids, b * length);
            Array.Fill(mask, (byte)1, b * length, prompts[b].Length);
        }

        bool padded = prompts.Any(p => p.Length != length);
        using Tensor idsTensor = Tensor.From<int>(backend, ids, new Shape(batch, length));
        using Tensor? maskTensor = padded ? Tensor.From<byte>(backend, mask, new Shape(batch, length)) : null;
        using Tensor hidden = _model.Forward(idsTensor, maskTensor, dtype);
        var result = new Tensor[batch];
        for (int b = 0; b < batch; b++)
        {
            using Tensor rows = hidden.Select(0, b).Narrow(0, 0, prompts[b].Length);
            result[b] = Ops.Contiguous(rows);
        }

        return result;
    }

    /// <inheritdoc/>
    public void Dispose() => _model.Dispose();
}
