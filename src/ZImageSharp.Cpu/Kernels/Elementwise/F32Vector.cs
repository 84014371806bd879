using System.Buffers;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

/// <summary>
/// A whole contiguous 1-D tensor (a norm weight or bias) as f32 for the duration of a kernel: the storage itself for
/// F32, else a converted copy in a pooled array. A plain struct, so parallel bodies can capture it (spans cannot).
/// </summary>
internal readonly unsafe struct F32Vector : IDisposable
{
    private readonly float* _pointer;
    private readonly float[]? _converted;

    private F32Vector(float* pointer, float[]? converted, int length)
    {
        _pointer = pointer;
        _converted = converted;
        Length = length;
    }

    /// <summary>False for an absent (null) tensor.</summary>
    public bool IsPresent => _pointer != null || _converted is not null;

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>The values (empty when absent).</summary>
    public ReadOnlySpan<float> Span => _converted is not null ? _converted.AsSpan(0, Length) : new ReadOnlySpan<float>(_pointer, Length);

    /// <summary>Views or converts <paramref name="tensor"/>; null gives an absent vector.</summary>
    public static F32Vector From(TensorRef? tensor)
    {
        if (tensor is not { } t || t.Layout.ElementCount == 0)
        {
            return default;
        }

        int n = checked((int)t.Layout.ElementCount);
        byte* storage = CpuMemory.Base(t);
        if (t.DType == DType.F32)
        {
            return new F32Vector((float*)storage + t.Layout.Offset, null, n);
        }

        float[] converted = ArrayPool<float>.Shared.Rent(n);
        RowIO.Load(storage, t.DType, t.Layout.Offset, 1, converted.AsSpan(0, n));
        return new F32Vector(null, converted, n);
    }

    /// <summary>Returns a converted copy to the pool.</summary>
    public void Dispose()
    {
        if (_converted is not null)
        {
            ArrayPool<float>.Shared.Return(_converted);
        }
    }
}
