using ZImageSharp.IO.Checkpoints;
using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Weights;

/// <summary>
/// A prefixed view of a checkpoint that model constructors load their weights from (candle's VarBuilder):
/// <c>weights.Sub("layers").Sub("0").Get("attention.to_q.weight", new Shape(3840, 3840))</c>. Every load checks the
/// shape strictly; the maps derived with <see cref="Sub"/> share one record of which tensors were consumed, so after
/// construction <see cref="ThrowIfUnused"/> or <see cref="Report"/> tells what the model ignored.
/// </summary>
/// <remarks>Thread-safe: layers may be loaded in parallel. The map does not own the source or the loaded tensors.</remarks>
public sealed class WeightMap
{
    private const int ListedNames = 10;

    private readonly WeightUsage _usage;
    private readonly ulong? _syntheticSeed;
    private readonly bool _fastRandom;
    private readonly bool _inspecting;

    /// <summary>Creates a root map.</summary>
    /// <param name="source">The checkpoint.</param>
    /// <param name="backend">Where tensors are loaded.</param>
    /// <param name="prefix">Name prefix of every lookup (without the trailing dot), e.g. <c>model</c>; null or empty for none.</param>
    /// <param name="dtype">Element type every tensor is converted to unless a call asks otherwise; null keeps stored types.</param>
    public WeightMap(ITensorSource source, IBackend backend, string? prefix = null, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(backend);
        Source = source;
        Backend = backend;
        Prefix = prefix ?? string.Empty;
        DType = dtype;
        _usage = new WeightUsage();
    }

    private WeightMap(IBackend backend, ulong seed, DType? dtype, bool fastRandom)
    {
        _fastRandom = fastRandom;
        Source = EmptySource.Instance;
        Backend = backend;
        Prefix = string.Empty;
        DType = dtype;
        _usage = new WeightUsage();
        _syntheticSeed = seed;
    }

    private WeightMap(ITensorSource source, bool inspecting)
        : this(source, MetaBackend.Instance)
    {
        _inspecting = inspecting;
    }

    private WeightMap(WeightMap parent, string prefix)
    {
        _syntheticSeed = parent._syntheticSeed;
        _fastRandom = parent._fastRandom;
        _inspecting = parent._inspecting;
        Source = parent.Source;
        Backend = parent.Backend;
        DType = parent.DType;
        _usage = parent._usage;
        Prefix = prefix;
    }

    /// <summary>The checkpoint (an empty source for a synthetic map).</summary>
    public ITensorSource Source { get; }

    /// <summary>True for a map created by <see cref="Synthetic"/> or <see cref="Random"/>.</summary>
    public bool IsSynthetic => _syntheticSeed is not null;

    /// <summary>Where tensors are loaded.</summary>
    public IBackend Backend { get; }

    /// <summary>The prefix of this map's lookups ("" at the root without one).</summary>
    public string Prefix { get; }

    /// <summary>The default element type of loaded tensors; null keeps the stored type.</summary>
    public DType? DType { get; }

    /// <summary>
    /// A map without a checkpoint: every <see cref="Get"/> returns deterministic random values of the requested shape
    /// (<see cref="SyntheticWeights"/>), so a model can be built at any size without weights (the built-in demo).
    /// </summary>
    public static WeightMap Synthetic(IBackend backend, ulong seed, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return new WeightMap(backend, seed, dtype, fastRandom: false);
    }

    /// <summary>
    /// Like <see cref="Synthetic"/>, but with <see cref="RandomWeights"/>: uniform values of the same mean and spread,
    /// generated in parallel straight into the dtype, for building the full-size models in benchmarks.
    /// </summary>
    public static WeightMap Random(IBackend backend, ulong seed, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return new WeightMap(backend, seed, dtype, fastRandom: true);
    }

    /// <summary>
    /// A map that checks a checkpoint against a model without loading data and without stopping at the first problem:
    /// tensors are meta tensors, a missing or misshapen tensor is recorded (and a meta tensor of the expected shape is
    /// returned), and <see cref="ThrowIfUnused"/> does not throw; <see cref="Report"/> then lists everything.
    /// </summary>
    public static WeightMap ForInspection(ITensorSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new WeightMap(source, inspecting: true);
    }

    /// <summary>A map whose names are relative to <c>Prefix.name</c>; it shares this map's usage record.</summary>
    public WeightMap Sub(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new WeightMap(this, FullName(name));
    }

    /// <summary>The checkpoint name of <paramref name="name"/> under this map's prefix.</summary>
    public string FullName(string name) => Prefix.Length == 0 ? name : $"{Prefix}.{name}";

    /// <summary>True when the checkpoint has <paramref name="name"/> under this prefix (never for a synthetic map).</summary>
    public bool Contains(string name) => Source.TryGetInfo(FullName(name), out _);

    /// <summary>Loads a required tensor and checks its shape.</summary>
    /// <param name="name">Name relative to <see cref="Prefix"/>.</param>
    /// <param name="expectedShape">The exact shape the model needs.</param>
    /// <param name="dtype">Element type wanted; null uses the map's <see cref="DType"/>, then the stored type.</param>
    /// <returns>A tensor the caller owns.</returns>
    /// <exception cref="CheckpointException">When the tensor is missing (the message suggests similar names) or its shape differs.</exception>
    /// <exception cref="NotSupportedException">When its stored dtype cannot be loaded as requested.</exception>
    public Tensor Get(string name, Shape expectedShape, DType? dtype = null)
    {
        string full = FullName(name);
        if (_syntheticSeed is ulong seed)
        {
            DType wanted = dtype ?? DType ?? Tensors.DType.F32;
            return _fastRandom
                ? RandomWeights.Create(full, expectedShape, seed, Backend, wanted)
                : SyntheticWeights.Create(full, expectedShape, seed, Backend, wanted);
        }

        if (!Source.TryGetInfo(full, out TensorInfo info))
        {
            _usage.Missing(full);
            return _inspecting ? Tensor.Empty(Backend, expectedShape, dtype ?? DType ?? Tensors.DType.F32) : throw NotFound(full);
        }

        return Load(info, expectedShape, dtype);
    }

    /// <summary>Loads an optional tensor: null when the checkpoint lacks it; shape-checked like <see cref="Get"/> when present.</summary>
    public Tensor? TryGet(string name, Shape expectedShape, DType? dtype = null) =>
        IsSynthetic ? Get(name, expectedShape, dtype)
        : Source.TryGetInfo(FullName(name), out TensorInfo info) ? Load(info, expectedShape, dtype) : null;

    /// <summary>
    /// Marks every checkpoint tensor under <c>Prefix.name</c> as deliberately not loaded (e.g. the text encoder's last
    /// layer, whose output Z-Image never uses), so strict checks do not report it.
    /// </summary>
    /// <returns>How many tensors were skipped.</returns>
    public int Skip(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        string full = FullName(name);
        int count = 0;
        foreach (string n in Source.Names)
        {
            if (IsUnder(n, full))
            {
                _usage.Consumed(n);
                count++;
            }
        }

        return count;
    }

    /// <summary>Checkpoint names under this map's prefix that no map sharing its record has loaded, sorted.</summary>
    public IReadOnlyList<string> UnusedNames() => [.. Source.Names.Where(n => IsUnder(n, Prefix) && !_usage.IsConsumed(n))];

    /// <summary>Missing and unused names under this map's prefix.</summary>
    public WeightReport Report() => new(_usage.MissingUnder(Prefix), UnusedNames()) { Mismatched = _usage.MismatchedUnder(Prefix) };

    /// <summary>Strict loading: throws when any checkpoint tensor under this prefix was not loaded.</summary>
    /// <exception cref="CheckpointException">Listing the unused names (the first ten and a count).</exception>
    public void ThrowIfUnused()
    {
        IReadOnlyList<string> unused = UnusedNames();
        if (unused.Count == 0 || _inspecting)
        {
            return;
        }

        string listed = string.Join(", ", unused.Take(ListedNames).Select(n => $"'{n}'"));
        string more = unused.Count > ListedNames ? $" and {unused.Count - ListedNames} more" : string.Empty;
        string where = Prefix.Length == 0 ? string.Empty : $" under prefix '{Prefix}'";
        throw new CheckpointException(Source.SourcePath, null, $"{unused.Count} tensors{where} were not used by the model: {listed}{more}.");
    }

    /// <summary>True when <paramref name="name"/> equals <paramref name="prefix"/> or lies under it ("" holds everything).</summary>
    internal static bool IsUnder(string name, string prefix) =>
        prefix.Length == 0 || name == prefix || (name.StartsWith(prefix, StringComparison.Ordinal) && name.Length > prefix.Length && name[prefix.Length] == '.');

    private Tensor Load(TensorInfo info, Shape expectedShape, DType? dtype)
    {
        if (!info.HasShape(expectedShape) && _inspecting)
        {
            _usage.Mismatched($"{info.Name}: expected {expectedShape}, found {info.ShapeText}");
            _usage.Consumed(info.Name);
            return Tensor.Empty(Backend, expectedShape, dtype ?? DType ?? Tensors.DType.F32);
        }

        if (!info.HasShape(expectedShape))
        {
            throw new CheckpointException(info.FilePath, info.Name, $"expected shape {expectedShape}, found {info.ShapeText}.");
        }

        Tensor tensor = Source.ReadTensor(info.Name, Backend, dtype ?? DType);
        _usage.Consumed(info.Name);
        return tensor;
    }

    private CheckpointException NotFound(string full)
    {
        IReadOnlyList<string> similar = NameSuggestions.For(full, Source.Names);
        string where = Prefix.Length == 0 ? string.Empty : $" (prefix '{Prefix}')";
        string hint = similar.Count == 0 ? "no similar names" : "similar names: " + string.Join(", ", similar.Select(n => $"'{n}'"));
        return new CheckpointException(Source.SourcePath, full, $"not found{where}; {hint}.");
    }
}
