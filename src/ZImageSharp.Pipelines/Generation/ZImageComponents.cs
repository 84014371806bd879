using ZImageSharp.Models.Qwen3;
using ZImageSharp.Models.Vae;
using ZImageSharp.Models.ZImage;
using ZImageSharp.Pipelines.Schedulers;

namespace ZImageSharp.Pipelines;

/// <summary>The five parts of a Z-Image pipeline (diffusers' register_modules), owned together.</summary>
public sealed class ZImageComponents : IDisposable
{
    /// <summary>Groups loaded components; this object takes ownership of the models.</summary>
    public ZImageComponents(IPromptTokenizer tokenizer, ZImageTextEncoder textEncoder, ZImageTransformer transformer, AutoencoderKl vae, FlowMatchSchedulerConfig schedulerConfig, string description)
    {
        Tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        TextEncoder = textEncoder ?? throw new ArgumentNullException(nameof(textEncoder));
        Transformer = transformer ?? throw new ArgumentNullException(nameof(transformer));
        Vae = vae ?? throw new ArgumentNullException(nameof(vae));
        SchedulerConfig = schedulerConfig ?? throw new ArgumentNullException(nameof(schedulerConfig));
        Description = description ?? string.Empty;
    }

    /// <summary>Prompt → ids.</summary>
    public IPromptTokenizer Tokenizer { get; }

    /// <summary>Ids → caption features.</summary>
    public ZImageTextEncoder TextEncoder { get; }

    /// <summary>The diffusion transformer.</summary>
    public ZImageTransformer Transformer { get; }

    /// <summary>Latents ↔ images.</summary>
    public AutoencoderKl Vae { get; }

    /// <summary>The sampling schedule.</summary>
    public FlowMatchSchedulerConfig SchedulerConfig { get; }

    /// <summary>Where the components came from, for messages and image metadata.</summary>
    public string Description { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        TextEncoder.Dispose();
        Transformer.Dispose();
        Vae.Dispose();
    }
}
