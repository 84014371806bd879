using ZImageSharp.IO.Weights;
using ZImageSharp.Models.Qwen3;
using ZImageSharp.Models.Vae;
using ZImageSharp.Models.ZImage;
using ZImageSharp.Pipelines.Schedulers;
using ZImageSharp.Tensors;
using ZImageSharp.Tokenizers;

namespace ZImageSharp.Pipelines.Loading;

/// <summary>
/// Builds the pipeline's models from a discovered checkpoint: configs from the checkpoint (or the Turbo / Qwen3-4B /
/// Flux presets when it has none, as ComfyUI files), every tensor by its diffusers name with strict checks (a missing,
/// misshapen or unused tensor is an error naming it), weights converted tensor by tensor where asked.
/// </summary>
public static class ZImageComponentLoader
{
    /// <summary>Loads all components onto <paramref name="options"/>' backend.</summary>
    /// <exception cref="IO.Checkpoints.CheckpointException">For a missing or wrong tensor, naming it and its file.</exception>
    /// <exception cref="Models.ConfigException">For a bad config file, naming the field.</exception>
    public static ZImageComponents Load(ZImageCheckpoint checkpoint, ZImageLoadOptions options, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(options);
        IBackend backend = options.Backend;
        var tokenizer = new ChatPromptTokenizer(BpeTokenizer.Load(options.TokenizerPath ?? checkpoint.RequireTokenizerPath()));
        var schedulerConfig = checkpoint.SchedulerConfigPath is { } sc ? FlowMatchSchedulerConfig.Load(sc) : FlowMatchSchedulerConfig.ZImageTurbo;

        ZImageTextEncoder? textEncoder = null;
        ZImageTransformer? transformer = null;
        try
        {
            progress?.Report("text encoder");
            Qwen3Config teConfig = checkpoint.TextEncoder.ConfigPath is { } tp ? Qwen3Config.Load(tp) : Qwen3Config.Qwen3_4B;
            textEncoder = ZImageTextEncoder.Load(new WeightMap(checkpoint.TextEncoder.Source, backend, dtype: options.TextEncoderDType), teConfig);

            progress?.Report("transformer");
            ZImageTransformerConfig ditConfig = checkpoint.Transformer.ConfigPath is { } dp ? ZImageTransformerConfig.Load(dp) : ZImageTransformerConfig.Turbo;
            transformer = ZImageTransformer.Load(new WeightMap(checkpoint.Transformer.Source, backend, dtype: options.TransformerDType), ditConfig);

            progress?.Report("vae");
            AutoencoderKlConfig vaeConfig = checkpoint.Vae.ConfigPath is { } vp ? AutoencoderKlConfig.Load(vp) : AutoencoderKlConfig.Flux;
            AutoencoderKl vae = AutoencoderKl.Load(new WeightMap(checkpoint.Vae.Source, backend, dtype: options.VaeDType), vaeConfig, loadEncoder: options.LoadVaeEncoder);

            return new ZImageComponents(tokenizer, textEncoder, transformer, vae, schedulerConfig, checkpoint.RootPath);
        }
        catch
        {
            textEncoder?.Dispose();
            transformer?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks each component found in <paramref name="checkpoint"/> against its model without loading data: which
    /// tensors the model needs but the checkpoint lacks, which have another shape, which nothing uses.
    /// </summary>
    /// <returns>Per component kind, the report, or the configuration error that stopped the check.</returns>
    public static IReadOnlyDictionary<ZImageComponentKind, ComponentCheck> Inspect(ZImageCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var result = new Dictionary<ZImageComponentKind, ComponentCheck>();
        foreach (ZImageComponent component in checkpoint.Components)
        {
            WeightMap weights = WeightMap.ForInspection(component.Source);
            try
            {
                switch (component.Kind)
                {
                    case ZImageComponentKind.TextEncoder:
                        using (Qwen3Model.Load(weights, component.ConfigPath is { } tp ? Qwen3Config.Load(tp) : Qwen3Config.Qwen3_4B))
                        {
                        }

                        break;
                    case ZImageComponentKind.Transformer:
                        using (ZImageTransformer.Load(weights, component.ConfigPath is { } dp ? ZImageTransformerConfig.Load(dp) : ZImageTransformerConfig.Turbo))
                        {
                        }

                        break;
                    default:
                        using (AutoencoderKl.Load(weights, component.ConfigPath is { } vp ? AutoencoderKlConfig.Load(vp) : AutoencoderKlConfig.Flux, loadEncoder: true))
                        {
                        }

                        break;
                }

                result[component.Kind] = new ComponentCheck(weights.Report(), null);
            }
            catch (Exception e) when (e is Models.ConfigException or NotSupportedException)
            {
                result[component.Kind] = new ComponentCheck(null, e.Message);
            }
        }

        return result;
    }
}

/// <summary>The outcome of checking one component against its model.</summary>
/// <param name="Report">Missing, misshapen and unused tensors; null when the check could not run.</param>
/// <param name="Error">Why the check could not run (a configuration problem), or null.</param>
public sealed record ComponentCheck(WeightReport? Report, string? Error);
