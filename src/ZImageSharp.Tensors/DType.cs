namespace ZImageSharp.Tensors;

/// <summary>Element type of a tensor.</summary>
/// <remarks>
/// Values are stable (they may be persisted in caches). Block-quantized types (Q8_0, Q4_K, FP8 with scales, ...)
/// will be added from 64 upwards; they have a block size and bytes per block instead of an element size.
/// </remarks>
public enum DType : byte
{
    /// <summary>IEEE-754 binary32.</summary>
    F32 = 0,

    /// <summary>IEEE-754 binary16 (<see cref="Half"/>).</summary>
    F16 = 1,

    /// <summary>bfloat16: the upper 16 bits of a binary32 (<see cref="BFloat16"/>).</summary>
    BF16 = 2,

    /// <summary>Signed 32-bit integer.</summary>
    I32 = 3,

    /// <summary>Signed 64-bit integer.</summary>
    I64 = 4,

    /// <summary>Unsigned 8-bit integer; also used for boolean masks (0 = false, 1 = true).</summary>
    U8 = 5,
}
