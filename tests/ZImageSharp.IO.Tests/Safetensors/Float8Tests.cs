using ZImageSharp.IO.Safetensors;

namespace ZImageSharp.IO.Tests.Safetensors;

/// <summary>The FP8 decode tables against decoders written independently from the format definitions.</summary>
public sealed class Float8Tests
{
    [Fact]
    public void E4M3_AllCodes_MatchFormula()
    {
        for (int code = 0; code < 256; code++)
        {
            AssertSame(E4M3Reference(code), Float8.E4M3[code], $"E4M3 0x{code:X2}");
        }
    }

    [Fact]
    public void E5M2_AllCodes_MatchHalfUpperByte()
    {
        // E5M2 is exactly the upper byte of an IEEE binary16: an independent decoder for free.
        for (int code = 0; code < 256; code++)
        {
            float expected = (float)BitConverter.UInt16BitsToHalf((ushort)(code << 8));
            AssertSame(expected, Float8.E5M2[code], $"E5M2 0x{code:X2}");
        }
    }

    [Theory]
    [InlineData(0x7E, 448f)]
    [InlineData(0xFE, -448f)]
    [InlineData(0x08, 0.015625f)]
    [InlineData(0x01, 0.001953125f)]
    [InlineData(0x38, 1f)]
    [InlineData(0x78, 256f)]
    [InlineData(0x80, -0f)]
    public void E4M3_KnownCodes(int code, float expected) => AssertSame(expected, Float8.E4M3[code], $"0x{code:X2}");

    [Fact]
    public void E4M3_OnlyAllOnesIsNaN_AndThereAreNoInfinities()
    {
        for (int code = 0; code < 256; code++)
        {
            Assert.Equal((code & 0x7F) == 0x7F, float.IsNaN(Float8.E4M3[code]));
            Assert.False(float.IsInfinity(Float8.E4M3[code]));
        }
    }

    [Theory]
    [InlineData(0x7B, 57344f)]
    [InlineData(0x7C, float.PositiveInfinity)]
    [InlineData(0xFC, float.NegativeInfinity)]
    [InlineData(0x01, 1.52587890625e-05f)]
    [InlineData(0x3C, 1f)]
    public void E5M2_KnownCodes(int code, float expected) => AssertSame(expected, Float8.E5M2[code], $"0x{code:X2}");

    private static double E4M3Reference(int code)
    {
        int sign = code >> 7;
        int exponent = (code >> 3) & 0xF;
        int mantissa = code & 0x7;
        if (exponent == 0xF && mantissa == 0x7)
        {
            return double.NaN;
        }

        double magnitude = exponent == 0
            ? mantissa / 8.0 * Math.Pow(2, -6)
            : (1 + (mantissa / 8.0)) * Math.Pow(2, exponent - 7);
        return sign == 1 ? -magnitude : magnitude;
    }

    private static void AssertSame(double expected, float actual, string what)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(float.IsNaN(actual), $"{what}: expected NaN, got {actual}");
            return;
        }

        // Bitwise, so -0 and +0 are told apart.
        Assert.True(BitConverter.SingleToInt32Bits((float)expected) == BitConverter.SingleToInt32Bits(actual), $"{what}: expected {expected}, got {actual}");
    }
}
