using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

/// <summary>
/// The f32 view a kernel computes on: the storage itself when it already is packed F32 (no copy), otherwise a working
/// buffer that <see cref="RowIO"/> converts into and out of.
/// </summary>
/// <remarks>Pointers are storage bases from <see cref="CpuMemory"/>; callers pass offsets and lengths inside the
/// tensor's layout, which Ops validated, so every span lies inside the allocation.</remarks>
internal static unsafe class RowAccess
{
    /// <summary>Reads <paramref name="length"/> elements <paramref name="stride"/> apart as f32.</summary>
    /// <returns>A span over the storage for F32 with stride 1, else <paramref name="scratch"/> filled by conversion
    /// (a stride of 0 repeats one value).</returns>
    public static ReadOnlySpan<float> Read(byte* storage, DType dtype, long offset, long stride, int length, Span<float> scratch)
    {
        if (dtype == DType.F32 && (stride == 1 || length == 1))
        {
            return RowIO.Span<float>(storage, offset, length);
        }

        Span<float> row = scratch[..length];
        RowIO.Load(storage, dtype, offset, stride, row);
        return row;
    }

    /// <summary>Where to compute <paramref name="length"/> consecutive destination elements: the storage itself for
    /// F32, else <paramref name="scratch"/>, which <see cref="Commit"/> then converts into the storage.</summary>
    public static Span<float> Target(byte* storage, DType dtype, long offset, int length, Span<float> scratch) =>
        dtype == DType.F32 ? RowIO.Span<float>(storage, offset, length) : scratch[..length];

    /// <summary>Stores values computed in a <see cref="Target"/> scratch (rounding to nearest even); nothing to do for F32.</summary>
    public static void Commit(ReadOnlySpan<float> values, byte* storage, DType dtype, long offset)
    {
        if (dtype != DType.F32)
        {
            RowIO.Store(values, storage, dtype, offset);
        }
    }
}
