using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Checkpoints;

/// <summary>
/// A view of another tensor source under other names: each presented name routes to a stored tensor, as stored or
/// through a <see cref="TensorTransform"/> (a reshape, or a chunk of dim 0). It lets a model load a checkpoint written
/// with other conventions (fused qkv, 1×1 conv attention, prefixed names) by the names it expects.
/// </summary>
/// <remarks>
/// Every route is resolved when the view is built, so a missing stored tensor or a shape that does not allow a
/// transform fails at once, naming the file and the stored tensor. <see cref="TensorInfo"/>s keep the real file and
/// the real byte range of the data (a chunk's offset is that of its first row). Thread-safety as for the inner source.
/// </remarks>
public sealed class RenamedTensorSource : IPartialTensorSource
{
    private readonly Dictionary<string, Entry> _entries;
    private readonly bool _leaveInnerOpen;

    /// <summary>Builds the view.</summary>
    /// <param name="inner">The source holding the data.</param>
    /// <param name="routes">Presented name → where it comes from. Several names may read the same stored tensor.</param>
    /// <param name="leaveInnerOpen">True to leave <paramref name="inner"/> open when the view is disposed.</param>
    /// <exception cref="CheckpointException">When a route names a tensor the inner source lacks, or a transform does not fit its shape.</exception>
    /// <exception cref="ArgumentException">When a presented name is given twice.</exception>
    /// <exception cref="NotSupportedException">When a route has a transform but <paramref name="inner"/> cannot read parts of tensors.</exception>
    public RenamedTensorSource(ITensorSource inner, IEnumerable<KeyValuePair<string, TensorRoute>> routes, bool leaveInnerOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(routes);
        Inner = inner;
        _leaveInnerOpen = leaveInnerOpen;
        _entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var read = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, TensorRoute route) in routes)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentNullException.ThrowIfNull(route);
            if (_entries.ContainsKey(name))
            {
                throw new ArgumentException($"The name '{name}' is routed twice.", nameof(routes));
            }

            _entries.Add(name, Resolve(name, route));
            read.Add(route.InnerName);
        }

        string[] names = [.. _entries.Keys];
        Array.Sort(names, StringComparer.Ordinal);
        Names = names;
        UnroutedNames = [.. inner.Names.Where(n => !read.Contains(n))];
    }

    /// <summary>The source holding the data.</summary>
    public ITensorSource Inner { get; }

    /// <inheritdoc/>
    public string SourcePath => Inner.SourcePath;

    /// <inheritdoc/>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Names of the inner source that no route reads, sorted: what the view leaves out.</summary>
    public IReadOnlyList<string> UnroutedNames { get; }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> Metadata => Inner.Metadata;

    /// <summary>
    /// A view with <paramref name="prefix"/> (e.g. <c>model.diffusion_model</c>, without the trailing dot) removed from
    /// the names that carry it; other names are presented unchanged.
    /// </summary>
    /// <exception cref="CheckpointException">When a name exists both with and without the prefix.</exception>
    public static RenamedTensorSource WithoutPrefix(ITensorSource inner, string prefix, bool leaveInnerOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        string dotted = prefix + ".";
        var routes = new Dictionary<string, TensorRoute>(StringComparer.Ordinal);
        foreach (string name in inner.Names)
        {
            string presented = name.StartsWith(dotted, StringComparison.Ordinal) && name.Length > dotted.Length ? name[dotted.Length..] : name;
            if (!routes.TryAdd(presented, new TensorRoute(name)))
            {
                throw new CheckpointException(inner.SourcePath, name, $"the checkpoint also holds '{routes[presented].InnerName}', which has the same name once the prefix '{prefix}' is removed.");
            }
        }

        return new RenamedTensorSource(inner, routes, leaveInnerOpen);
    }

    /// <summary>Where a presented tensor comes from.</summary>
    /// <exception cref="CheckpointException">When there is no tensor of that name.</exception>
    public TensorRoute Route(string name) => Get(name).Route;

    /// <inheritdoc/>
    public bool TryGetInfo(string name, out TensorInfo info)
    {
        if (_entries.TryGetValue(name, out Entry? entry))
        {
            info = entry.Info;
            return true;
        }

        info = null!;
        return false;
    }

    /// <inheritdoc/>
    public TensorInfo Info(string name) => Get(name).Info;

    /// <inheritdoc/>
    public Tensor ReadTensor(string name, IBackend backend, DType? dtype = null)
    {
        Entry entry = Get(name);
        return entry.Part is null
            ? Inner.ReadTensor(entry.Route.InnerName, backend, dtype)
            : Partial.ReadPart(entry.Route.InnerName, entry.Part, backend, dtype);
    }

    /// <inheritdoc/>
    public Tensor ReadPart(string name, TensorPart part, IBackend backend, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(part);
        Entry entry = Get(name);
        if (entry.Part is null)
        {
            return Partial.ReadPart(entry.Route.InnerName, part, backend, dtype);
        }

        if (part.ElementOffset < 0 || part.ElementOffset > entry.Part.ElementCount - part.ElementCount)
        {
            throw new CheckpointException(entry.Info.FilePath, entry.Route.InnerName, $"{part} of '{name}' does not lie inside its {entry.Part}.");
        }

        return Partial.ReadPart(entry.Route.InnerName, entry.Part.Compose(part), backend, dtype);
    }

    /// <summary>Disposes the inner source unless the view was built to leave it open.</summary>
    public void Dispose()
    {
        if (!_leaveInnerOpen)
        {
            Inner.Dispose();
        }
    }

    private IPartialTensorSource Partial => Inner as IPartialTensorSource
        ?? throw new NotSupportedException($"{Inner.SourcePath}: the source ({Inner.GetType().Name}) cannot read parts of tensors.");

    private Entry Get(string name) =>
        _entries.TryGetValue(name, out Entry? entry) ? entry : throw new CheckpointException(SourcePath, name, "no tensor of this name in the renamed view.");

    private Entry Resolve(string name, TensorRoute route)
    {
        if (!Inner.TryGetInfo(route.InnerName, out TensorInfo stored))
        {
            throw new CheckpointException(Inner.SourcePath, route.InnerName, $"no tensor of this name (it should provide '{name}').");
        }

        if (route.Transform is null)
        {
            return new Entry(route, null, stored with { Name = name });
        }

        _ = Partial; // fail at build time, not at the first read
        TensorPart part = route.Transform.Apply(stored);
        return new Entry(route, part, part.Describe(stored, name));
    }

    private sealed record Entry(TensorRoute Route, TensorPart? Part, TensorInfo Info);
}
