using System.Collections.Frozen;
using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Safetensors;

/// <summary>Facts about <see cref="SafetensorsDType"/>: names, sizes, and how each maps onto an engine <see cref="DType"/>.</summary>
public static class SafetensorsDTypes
{
    // Enum.TryParse would also accept "9", " F32" and lower case; the format does not.
    private static readonly FrozenDictionary<string, SafetensorsDType> s_byName =
        Enum.GetValues<SafetensorsDType>().ToFrozenDictionary(d => d.ToString(), StringComparer.Ordinal);

    /// <summary>Bits per element (4 for F4, 6 for the F6 types; byte sizes of such tensors must come out whole).</summary>
    public static int BitSize(this SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F4 => 4,
        SafetensorsDType.F6_E2M3 or SafetensorsDType.F6_E3M2 => 6,
        SafetensorsDType.BOOL or SafetensorsDType.U8 or SafetensorsDType.I8 => 8,
        SafetensorsDType.F8_E5M2 or SafetensorsDType.F8_E4M3 or SafetensorsDType.F8_E8M0 => 8,
        SafetensorsDType.F8_E4M3FNUZ or SafetensorsDType.F8_E5M2FNUZ => 8,
        SafetensorsDType.I16 or SafetensorsDType.U16 or SafetensorsDType.F16 or SafetensorsDType.BF16 => 16,
        SafetensorsDType.I32 or SafetensorsDType.U32 or SafetensorsDType.F32 => 32,
        SafetensorsDType.F64 or SafetensorsDType.I64 or SafetensorsDType.U64 or SafetensorsDType.C64 => 64,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype."),
    };

    /// <summary>The header string, e.g. "BF16".</summary>
    public static string Name(this SafetensorsDType dtype) => dtype.ToString();

    /// <summary>Parses a header dtype string. Case-sensitive and exact, as the format requires (no numbers, no aliases).</summary>
    public static bool TryParse(string name, out SafetensorsDType dtype)
    {
        ArgumentNullException.ThrowIfNull(name);
        return s_byName.TryGetValue(name, out dtype);
    }

    /// <summary>
    /// The engine dtype a tensor of this type becomes when no conversion is requested: the same type where the engine
    /// has it, BOOL → U8, F64 and the FP8 types → F32. False for the types the engine cannot load.
    /// </summary>
    public static bool TryGetNaturalDType(this SafetensorsDType dtype, out DType natural)
    {
        switch (dtype)
        {
            case SafetensorsDType.F32 or SafetensorsDType.F64 or SafetensorsDType.F8_E4M3 or SafetensorsDType.F8_E5M2:
                natural = DType.F32;
                return true;
            case SafetensorsDType.F16:
                natural = DType.F16;
                return true;
            case SafetensorsDType.BF16:
                natural = DType.BF16;
                return true;
            case SafetensorsDType.I32:
                natural = DType.I32;
                return true;
            case SafetensorsDType.I64:
                natural = DType.I64;
                return true;
            case SafetensorsDType.U8 or SafetensorsDType.BOOL:
                natural = DType.U8;
                return true;
            default:
                natural = default;
                return false;
        }
    }

    /// <summary>True when the engine can load this type (<see cref="TryGetNaturalDType"/> succeeds).</summary>
    public static bool IsLoadable(this SafetensorsDType dtype) => dtype.TryGetNaturalDType(out _);

    /// <summary>
    /// True when a tensor stored as <paramref name="stored"/> can be loaded as <paramref name="target"/>: any loadable
    /// type into a float type; integer and boolean types into integer types (range-checked when narrowing). Floats are
    /// never silently truncated into integers.
    /// </summary>
    public static bool CanLoadAs(this SafetensorsDType stored, DType target)
    {
        if (!stored.IsLoadable())
        {
            return false;
        }

        return target.IsFloatingPoint() || stored.IsIntegerLike();
    }

    /// <summary>The safetensors name of an engine dtype (every engine dtype has one).</summary>
    public static SafetensorsDType FromDType(DType dtype) => dtype switch
    {
        DType.F32 => SafetensorsDType.F32,
        DType.F16 => SafetensorsDType.F16,
        DType.BF16 => SafetensorsDType.BF16,
        DType.I32 => SafetensorsDType.I32,
        DType.I64 => SafetensorsDType.I64,
        DType.U8 => SafetensorsDType.U8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>Byte length of <paramref name="elementCount"/> elements, or null when it overflows or is not a whole number of bytes.</summary>
    public static long? ByteLength(this SafetensorsDType dtype, long elementCount)
    {
        if (elementCount < 0 || elementCount > long.MaxValue / 64)
        {
            return null;
        }

        long bits = elementCount * dtype.BitSize();
        return bits % 8 == 0 ? bits / 8 : null;
    }

    internal static bool IsIntegerLike(this SafetensorsDType dtype) =>
        dtype is SafetensorsDType.U8 or SafetensorsDType.BOOL or SafetensorsDType.I32 or SafetensorsDType.I64;
}
