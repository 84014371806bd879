using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Vae;

/// <summary>
/// Records the outputs of the VAE's modules by their diffusers names (<c>decoder.conv_in</c>,
/// <c>decoder.mid_block.attentions.0</c>, <c>decoder.up_blocks.1</c>, <c>encoder.down_blocks.0</c>, …), for
/// comparisons with a reference. A recorded tensor shares its memory with the model's activation and keeps it alive
/// until the trace is disposed, so tracing costs the memory of every recorded activation.
/// </summary>
public sealed class VaeTrace : IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors;
    private readonly string _prefix;

    /// <summary>Creates an empty trace.</summary>
    public VaeTrace()
        : this(new Dictionary<string, Tensor>(StringComparer.Ordinal), string.Empty)
    {
    }

    private VaeTrace(Dictionary<string, Tensor> tensors, string prefix)
    {
        _tensors = tensors;
        _prefix = prefix;
    }

    /// <summary>The recorded names.</summary>
    public IReadOnlyCollection<string> Names => _tensors.Keys;

    /// <summary>A recorded tensor (owned by the trace).</summary>
    /// <exception cref="KeyNotFoundException">When nothing was recorded under <paramref name="name"/>.</exception>
    public Tensor this[string name] => _tensors.TryGetValue(name, out Tensor? t)
        ? t
        : throw new KeyNotFoundException($"Nothing was recorded as '{name}'; recorded: {string.Join(", ", _tensors.Keys)}.");

    /// <summary>Whether <paramref name="name"/> was recorded; <paramref name="tensor"/> is owned by the trace.</summary>
    public bool TryGet(string name, out Tensor tensor) => _tensors.TryGetValue(name, out tensor!);

    /// <summary>A view of this trace whose names are relative to <c>prefix.name</c>; it records into the same table.</summary>
    public VaeTrace Sub(string name) => new(_tensors, Qualify(name));

    /// <summary>Records <paramref name="tensor"/> as <c>prefix.name</c> (a new reference to the same memory, unaffected by scopes).</summary>
    public void Record(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        string full = Qualify(name);
        using (TensorScope.Suspend())
        {
            Tensor reference = tensor.Reshape(tensor.Shape.Dims);
            if (_tensors.Remove(full, out Tensor? previous))
            {
                previous.Dispose();
            }

            _tensors.Add(full, reference);
        }
    }

    /// <summary>Releases every recorded tensor (of the whole table, also when called on a <see cref="Sub"/> view).</summary>
    public void Dispose()
    {
        foreach (Tensor t in _tensors.Values)
        {
            t.Dispose();
        }

        _tensors.Clear();
    }

    private string Qualify(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return _prefix.Length == 0 ? name : $"{_prefix}.{name}";
    }
}
