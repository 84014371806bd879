namespace ZImageSharp.IO.Safetensors;

/// <summary>
/// Element types a safetensors header may name (the <c>Dtype</c> enum of the format's reference implementation).
/// Member names are the header strings; <see cref="SafetensorsDTypes"/> gives sizes and which ones the engine loads.
/// </summary>
/// <remarks>Every name is recognised so any valid file can be listed; only some can become tensors.</remarks>
public enum SafetensorsDType
{
    /// <summary>Boolean, one byte (0 or 1). Loads as U8.</summary>
    BOOL,

    /// <summary>Unsigned 8-bit integer.</summary>
    U8,

    /// <summary>Signed 8-bit integer (listed only).</summary>
    I8,

    /// <summary>Signed 16-bit integer (listed only).</summary>
    I16,

    /// <summary>Unsigned 16-bit integer (listed only).</summary>
    U16,

    /// <summary>IEEE-754 binary16.</summary>
    F16,

    /// <summary>bfloat16.</summary>
    BF16,

    /// <summary>Signed 32-bit integer.</summary>
    I32,

    /// <summary>Unsigned 32-bit integer (listed only).</summary>
    U32,

    /// <summary>IEEE-754 binary32.</summary>
    F32,

    /// <summary>IEEE-754 binary64. Loads as F32 (rounded to nearest).</summary>
    F64,

    /// <summary>Signed 64-bit integer.</summary>
    I64,

    /// <summary>Unsigned 64-bit integer (listed only).</summary>
    U64,

    /// <summary>Complex of two binary32 (listed only).</summary>
    C64,

    /// <summary>FP8 with 5 exponent and 2 mantissa bits, IEEE-like (infinities and NaNs). Loads exactly as F32/BF16/F16.</summary>
    F8_E5M2,

    /// <summary>FP8 "E4M3FN": 4 exponent, 3 mantissa bits, no infinities, 0x7F/0xFF are NaN. Loads exactly as F32/BF16/F16.</summary>
    F8_E4M3,

    /// <summary>FP8 exponent-only scale type (listed only).</summary>
    F8_E8M0,

    /// <summary>FP8 E4M3 "fnuz" variant (listed only).</summary>
    F8_E4M3FNUZ,

    /// <summary>FP8 E5M2 "fnuz" variant (listed only).</summary>
    F8_E5M2FNUZ,

    /// <summary>4-bit float, two per byte (listed only).</summary>
    F4,

    /// <summary>6-bit float E2M3, packed (listed only).</summary>
    F6_E2M3,

    /// <summary>6-bit float E3M2, packed (listed only).</summary>
    F6_E3M2,
}
