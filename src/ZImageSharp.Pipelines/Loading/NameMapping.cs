using ZImageSharp.IO.Checkpoints;

namespace ZImageSharp.Pipelines.Loading;

/// <summary>The outcome of mapping one checkpoint's stored names to diffusers names.</summary>
/// <param name="Format">The convention the names were found in.</param>
/// <param name="Routes">Presented (diffusers) name → stored tensor and transform.</param>
/// <param name="Skipped">Stored tensors left out on purpose.</param>
/// <param name="Unexpected">Stored names no rule recognises, sorted; they are still presented (as stored, less a known prefix) so strict loading reports them too.</param>
internal sealed record NameMapping(
    CheckpointFormat Format,
    IReadOnlyDictionary<string, TensorRoute> Routes,
    IReadOnlyList<SkippedTensor> Skipped,
    IReadOnlyList<string> Unexpected);

/// <summary>Collects routes, refusing two stored tensors for one presented name.</summary>
internal sealed class NameMappingBuilder(string sourcePath)
{
    private readonly Dictionary<string, TensorRoute> _routes = new(StringComparer.Ordinal);
    private readonly List<SkippedTensor> _skipped = [];
    private readonly List<string> _unexpected = [];

    /// <summary>True once a rule specific to a non-diffusers convention has fired.</summary>
    public bool Converted { get; set; }

    /// <summary>Presents <paramref name="stored"/> (optionally transformed) as <paramref name="name"/>.</summary>
    /// <exception cref="CheckpointException">When another stored tensor already provides <paramref name="name"/>.</exception>
    public void Add(string name, string stored, TensorTransform? transform = null)
    {
        if (!_routes.TryAdd(name, new TensorRoute(stored, transform)))
        {
            throw new CheckpointException(sourcePath, stored, $"it maps to '{name}', which '{_routes[name].InnerName}' already provides (the file mixes naming conventions).");
        }
    }

    /// <summary>Leaves <paramref name="stored"/> out on purpose.</summary>
    public void Skip(string stored, string reason) => _skipped.Add(new SkippedTensor(stored, reason));

    /// <summary>Records an unrecognised name and presents it as <paramref name="presented"/>.</summary>
    public void Unexpected(string stored, string presented)
    {
        _unexpected.Add(stored);
        Add(presented, stored);
    }

    /// <summary>The mapping, labelled <paramref name="converted"/> when a conversion rule fired, else diffusers.</summary>
    public NameMapping Build(CheckpointFormat converted) =>
        new(Converted ? converted : CheckpointFormat.Diffusers, _routes, _skipped, [.. _unexpected.Order(StringComparer.Ordinal)]);
}
