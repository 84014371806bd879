using System.Globalization;
using System.Runtime.InteropServices;

namespace ZImageSharp.Tensors;

/// <summary>
/// bfloat16: sign, 8 exponent bits and 7 mantissa bits, i.e. the upper half of an IEEE-754 binary32.
/// Widening to <see cref="float"/> is exact; narrowing rounds to nearest, ties to even, like PyTorch.
/// </summary>
/// <remarks>The .NET 10 base library has no bfloat16 type; this one is layout-compatible (2 bytes) with checkpoint data.</remarks>
[StructLayout(LayoutKind.Sequential, Size = 2)]
public readonly struct BFloat16 : IEquatable<BFloat16>, IComparable<BFloat16>, IFormattable
{
    private readonly ushort _bits;

    private BFloat16(ushort bits) => _bits = bits;

    /// <summary>The raw 16-bit pattern.</summary>
    public ushort Bits => _bits;

    /// <summary>Positive zero.</summary>
    public static BFloat16 Zero => default;

    /// <summary>One.</summary>
    public static BFloat16 One => new(0x3F80);

    /// <summary>A quiet NaN.</summary>
    public static BFloat16 NaN => new(0x7FC0);

    /// <summary>Positive infinity.</summary>
    public static BFloat16 PositiveInfinity => new(0x7F80);

    /// <summary>Negative infinity.</summary>
    public static BFloat16 NegativeInfinity => new(0xFF80);

    /// <summary>Largest finite value (3.3895e38).</summary>
    public static BFloat16 MaxValue => new(0x7F7F);

    /// <summary>True when this value is a NaN.</summary>
    public bool IsNaN => (_bits & 0x7FFF) > 0x7F80;

    /// <summary>Creates a value from its bit pattern.</summary>
    public static BFloat16 FromBits(ushort bits) => new(bits);

    /// <summary>Rounds a float to the nearest bfloat16 (ties to even). NaN stays NaN (quiet, sign kept).</summary>
    public static BFloat16 FromSingle(float value) => new(RoundToBits(value));

    /// <summary>Widens exactly to float.</summary>
    public float ToSingle() => BitConverter.UInt32BitsToSingle((uint)_bits << 16);

    /// <summary>The round-to-nearest-even narrowing of a float's bits.</summary>
    /// <remarks>Adding 0x7FFF plus the lowest kept bit and truncating rounds ties to even; overflow carries into infinity.</remarks>
    public static ushort RoundToBits(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if ((bits & 0x7FFF_FFFFu) > 0x7F80_0000u)
        {
            return (ushort)((bits >> 16) | 0x0040u);
        }

        uint rounding = 0x7FFFu + ((bits >> 16) & 1u);
        return (ushort)((bits + rounding) >> 16);
    }

    /// <summary>Narrowing conversion (round to nearest even).</summary>
    public static explicit operator BFloat16(float value) => FromSingle(value);

    /// <summary>Exact widening conversion.</summary>
    public static implicit operator float(BFloat16 value) => value.ToSingle();

    /// <summary>Bitwise equality except that NaN never equals anything and +0 equals -0 (IEEE semantics).</summary>
    public static bool operator ==(BFloat16 left, BFloat16 right) => left.ToSingle() == right.ToSingle();

    /// <inheritdoc cref="op_Equality"/>
    public static bool operator !=(BFloat16 left, BFloat16 right) => !(left == right);

    /// <summary>IEEE less-than.</summary>
    public static bool operator <(BFloat16 left, BFloat16 right) => left.ToSingle() < right.ToSingle();

    /// <summary>IEEE greater-than.</summary>
    public static bool operator >(BFloat16 left, BFloat16 right) => left.ToSingle() > right.ToSingle();

    /// <summary>IEEE less-or-equal.</summary>
    public static bool operator <=(BFloat16 left, BFloat16 right) => left.ToSingle() <= right.ToSingle();

    /// <summary>IEEE greater-or-equal.</summary>
    public static bool operator >=(BFloat16 left, BFloat16 right) => left.ToSingle() >= right.ToSingle();

    /// <summary>Equality by value, with NaN equal to NaN (so it can be used as a dictionary key).</summary>
    public bool Equals(BFloat16 other) => ToSingle().Equals(other.ToSingle());

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is BFloat16 other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => ToSingle().GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(BFloat16 other) => ToSingle().CompareTo(other.ToSingle());

    /// <inheritdoc/>
    public override string ToString() => ToSingle().ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToSingle().ToString(format, formatProvider);
}
