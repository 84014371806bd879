using ZImageSharp.Tensors;

namespace ZImageSharp.Models.ZImage;

/// <summary>
/// Collects named intermediates of <see cref="ZImageTransformer.Forward"/>, under the reference fixture's names
/// (<c>inter.x_patches</c>, <c>inter.noise_refiner.0.in</c>, <c>inter.unified_freqs_cis</c>, ...). Each entry is a copy
/// the trace owns; dispose the trace to free them. Batched entries are [B, L, ...]: rows past an item's own length
/// are batch padding (don't-care).
/// </summary>
public sealed class ZImageForwardTrace : IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>The recorded names in the order the forward produced them.</summary>
    public IReadOnlyList<string> Names => _order;

    /// <summary>The intermediate recorded under <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">When nothing was recorded under that name.</exception>
    public Tensor this[string name] => _tensors.TryGetValue(name, out Tensor? t) ? t : throw new KeyNotFoundException($"The trace has no '{name}'.");

    /// <summary>True when <paramref name="name"/> was recorded.</summary>
    public bool Contains(string name) => _tensors.ContainsKey(name);

    /// <summary>Records a copy of <paramref name="value"/> (the forward may free or reuse the original).</summary>
    internal void Record(string name, Tensor value)
    {
        using (TensorScope.Suspend())
        {
            Add(name, Ops.Cast(value, value.DType));
        }
    }

    /// <summary>Records a tensor made only for the trace (ids, masks); <paramref name="create"/> runs outside any scope, so the trace owns the result.</summary>
    internal void Record(string name, Func<Tensor> create)
    {
        using (TensorScope.Suspend())
        {
            Add(name, create());
        }
    }

    /// <summary>Records per item the position ids (I32 [L, 3]) and pad flags (U8 [L], 1 = pad token) of one stream.</summary>
    internal void RecordIds(string stream, int[][] positions, int[] tokens, int[] lengths, IBackend backend)
    {
        for (int b = 0; b < lengths.Length; b++)
        {
            var pad = new byte[lengths[b]];
            Array.Fill(pad, (byte)1, tokens[b], lengths[b] - tokens[b]);
            int[] ids = positions[b];
            int length = lengths[b];
            Record($"inter.{stream}_pos_ids.{b}", () => Tensor.From<int>(backend, ids, new Shape(length, 3)));
            Record($"inter.{stream}_pad_mask.{b}", () => Tensor.From<byte>(backend, pad, new Shape(length)));
        }
    }

    /// <summary>Disposes every recorded tensor.</summary>
    public void Dispose()
    {
        foreach (Tensor t in _tensors.Values)
        {
            t.Dispose();
        }

        _tensors.Clear();
        _order.Clear();
    }

    private void Add(string name, Tensor value)
    {
        if (_tensors.Remove(name, out Tensor? previous))
        {
            previous.Dispose();
            _order.Remove(name);
        }

        _tensors.Add(name, value);
        _order.Add(name);
    }
}
