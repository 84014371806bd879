namespace ZImageSharp.IO.Safetensors;

/// <summary>
/// Decode tables for the two FP8 formats of the OCP 8-bit floating point specification. Every code is exactly
/// representable in F32, BF16 and F16, so decoding through these tables and narrowing is exact.
/// </summary>
internal static class Float8
{
    private static readonly float[] s_e4m3 = Build(exponentBits: 4, mantissaBits: 3, bias: 7, ieeeSpecials: false);
    private static readonly float[] s_e5m2 = Build(exponentBits: 5, mantissaBits: 2, bias: 15, ieeeSpecials: true);

    /// <summary>E4M3FN: no infinities; only S.1111.111 (0x7F, 0xFF) is NaN, so the top exponent holds normal values up to 448.</summary>
    public static ReadOnlySpan<float> E4M3 => s_e4m3;

    /// <summary>E5M2: IEEE-like; exponent 31 holds ±infinity (mantissa 0) and NaN (mantissa ≠ 0); max 57344.</summary>
    public static ReadOnlySpan<float> E5M2 => s_e5m2;

    private static float[] Build(int exponentBits, int mantissaBits, int bias, bool ieeeSpecials)
    {
        var table = new float[256];
        int maxExponent = (1 << exponentBits) - 1;
        int mantissaMask = (1 << mantissaBits) - 1;
        for (int code = 0; code < 256; code++)
        {
            int exponent = (code >> mantissaBits) & maxExponent;
            int mantissa = code & mantissaMask;
            float sign = (code & 0x80) != 0 ? -1f : 1f;
            float magnitude;
            if (exponent == maxExponent && (ieeeSpecials || mantissa == mantissaMask))
            {
                magnitude = ieeeSpecials && mantissa == 0 ? float.PositiveInfinity : float.NaN;
            }
            else if (exponent == 0)
            {
                // Subnormal: no implicit leading one, exponent fixed at 1 - bias.
                magnitude = MathF.ScaleB(mantissa, 1 - bias - mantissaBits);
            }
            else
            {
                magnitude = MathF.ScaleB((1 << mantissaBits) + mantissa, exponent - bias - mantissaBits);
            }

            table[code] = sign * magnitude;
        }

        return table;
    }
}
