using ZImageSharp.IO.Checkpoints;
using ZImageSharp.IO.Safetensors;

namespace ZImageSharp.Pipelines.Loading;

/// <summary>
/// One component of a Z-Image checkpoint, presented under the diffusers names the models load (for the text encoder:
/// the names as stored, with or without <c>model.</c>), whatever convention the file was written in.
/// </summary>
/// <remarks>Owns its files: disposing it unmaps them (tensors already loaded zero-copy stay valid).</remarks>
public sealed class ZImageComponent : IDisposable
{
    private readonly RenamedTensorSource _source;

    private ZImageComponent(ZImageComponentKind kind, RenamedTensorSource source, NameMapping mapping, string? configPath, string? className)
    {
        Kind = kind;
        _source = source;
        Format = mapping.Format;
        Skipped = mapping.Skipped;
        Unexpected = mapping.Unexpected;
        ConfigPath = configPath;
        ClassName = className;
        Files = source.Inner switch
        {
            SafetensorsShardSet set => [.. set.Shards.Select(s => s.FilePath)],
            _ => [source.SourcePath],
        };
    }

    /// <summary>Which component this is.</summary>
    public ZImageComponentKind Kind { get; }

    /// <summary>The naming convention found in the file.</summary>
    public CheckpointFormat Format { get; }

    /// <summary>The tensors under diffusers names (what <c>WeightMap</c> should be built on). Fused and 1×1-conv weights are read as byte ranges of the stored tensors.</summary>
    public ITensorSource Source => _source;

    /// <summary>The file that was opened: a <c>.safetensors</c> file or a shard index.</summary>
    public string CheckpointPath => _source.SourcePath;

    /// <summary>The names as stored in the files, sorted (before mapping).</summary>
    public IReadOnlyList<string> StoredNames => _source.Inner.Names;

    /// <summary>The safetensors files holding the data.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The component's diffusers <c>config.json</c>, or null (single files have none: the caller uses the presets).</summary>
    public string? ConfigPath { get; }

    /// <summary>The class <c>model_index.json</c> names for the component, or null.</summary>
    public string? ClassName { get; }

    /// <summary>Stored tensors left out on purpose, with the reason (e.g. ComfyUI's unused <c>norm_final.weight</c>).</summary>
    public IReadOnlyList<SkippedTensor> Skipped { get; }

    /// <summary>
    /// Stored names that are not names of this component in any known convention, sorted. They are still presented
    /// (as stored, less a known prefix), so a strict model load reports them as unused.
    /// </summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>The route of a presented name to its stored tensor (for messages and tests).</summary>
    /// <exception cref="CheckpointException">When there is no tensor of that name.</exception>
    public TensorRoute Route(string name) => _source.Route(name);

    /// <summary>Unmaps the files.</summary>
    public void Dispose() => _source.Dispose();

    /// <summary>Maps <paramref name="stored"/>'s names for <paramref name="kind"/>; takes ownership of <paramref name="stored"/>.</summary>
    internal static ZImageComponent Create(ZImageComponentKind kind, ITensorSource stored, string? configPath, string? className)
    {
        try
        {
            NameMapping mapping = kind switch
            {
                ZImageComponentKind.Transformer => TransformerNames.Map(stored),
                ZImageComponentKind.TextEncoder => TextEncoderNames.Map(stored),
                ZImageComponentKind.Vae => VaeNames.Map(stored),
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
            };
            return new ZImageComponent(kind, new RenamedTensorSource(stored, mapping.Routes), mapping, configPath, className);
        }
        catch
        {
            stored.Dispose();
            throw;
        }
    }
}
