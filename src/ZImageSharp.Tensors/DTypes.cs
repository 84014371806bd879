namespace ZImageSharp.Tensors;

/// <summary>Facts about <see cref="DType"/> values and the mapping from CLR element types.</summary>
public static class DTypes
{
    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.F32 => 4,
        DType.F16 => 2,
        DType.BF16 => 2,
        DType.I32 => 4,
        DType.I64 => 8,
        DType.U8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>True for F32, F16 and BF16: the types math ops accept.</summary>
    public static bool IsFloatingPoint(this DType dtype) => dtype is DType.F32 or DType.F16 or DType.BF16;

    /// <summary>True for I32, I64 and U8.</summary>
    public static bool IsInteger(this DType dtype) => dtype is DType.I32 or DType.I64 or DType.U8;

    /// <summary>
    /// The result type of a binary op on two float types: equal types stay, anything mixed goes to F32
    /// (BF16 and F16 cannot represent each other, so F32 is the only lossless common type).
    /// </summary>
    public static DType Promote(DType a, DType b)
    {
        if (a == b)
        {
            return a;
        }

        return DType.F32;
    }

    /// <summary>The dtype stored for the CLR type <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException">For a CLR type with no tensor dtype.</exception>
    public static DType Of<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return DType.F32;
        }

        if (typeof(T) == typeof(Half))
        {
            return DType.F16;
        }

        if (typeof(T) == typeof(BFloat16))
        {
            return DType.BF16;
        }

        if (typeof(T) == typeof(int))
        {
            return DType.I32;
        }

        if (typeof(T) == typeof(long))
        {
            return DType.I64;
        }

        if (typeof(T) == typeof(byte))
        {
            return DType.U8;
        }

        throw new NotSupportedException($"The CLR type {typeof(T).Name} has no tensor dtype (use float, Half, BFloat16, int, long or byte).");
    }

    /// <summary>Parses the names used in this library and in safetensors headers ("F32", "bf16", ...).</summary>
    public static bool TryParse(string name, out DType dtype)
    {
        ArgumentNullException.ThrowIfNull(name);
        switch (name.ToUpperInvariant())
        {
            case "F32":
            case "FLOAT32":
                dtype = DType.F32;
                return true;
            case "F16":
            case "FLOAT16":
                dtype = DType.F16;
                return true;
            case "BF16":
            case "BFLOAT16":
                dtype = DType.BF16;
                return true;
            case "I32":
            case "INT32":
                dtype = DType.I32;
                return true;
            case "I64":
            case "INT64":
                dtype = DType.I64;
                return true;
            case "U8":
            case "UINT8":
                dtype = DType.U8;
                return true;
            default:
                dtype = default;
                return false;
        }
    }
}
