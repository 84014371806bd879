using ZImageSharp.Tensors;

namespace ZImageSharp.Tensors.Tests.Runtime;

public sealed class BFloat16Tests
{
    [Fact]
    public void Widening_IsExactForEveryBitPattern()
    {
        for (int bits = 0; bits <= ushort.MaxValue; bits++)
        {
            float expected = BitConverter.UInt32BitsToSingle((uint)bits << 16);
            float actual = BFloat16.FromBits((ushort)bits);
            Assert.Equal(BitConverter.SingleToUInt32Bits(expected), BitConverter.SingleToUInt32Bits(actual));
        }
    }

    [Fact]
    public void Narrowing_RoundsToNearestEven_OnEdgeCases()
    {
        foreach (uint bits in EdgePatterns())
        {
            float value = BitConverter.UInt32BitsToSingle(bits);
            Assert.Equal(ReferenceRound(bits), BFloat16.RoundToBits(value));
        }
    }

    [Fact]
    public void Narrowing_RoundsToNearestEven_OnRandomPatterns()
    {
        var random = new Random(1234);
        for (int i = 0; i < 2_000_000; i++)
        {
            uint bits = (uint)random.NextInt64(0, 1L << 32);
            Assert.Equal(ReferenceRound(bits), BFloat16.RoundToBits(BitConverter.UInt32BitsToSingle(bits)));
        }
    }

    [Fact]
    public void VectorNarrowAndWiden_MatchScalar()
    {
        var random = new Random(99);
        var values = new float[4099];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BitConverter.UInt32BitsToSingle((uint)random.NextInt64(0, 1L << 32));
        }

        uint[] edges = EdgePatterns().ToArray();
        for (int i = 0; i < edges.Length; i++)
        {
            values[i * 3] = BitConverter.UInt32BitsToSingle(edges[i]);
        }

        var narrowed = new BFloat16[values.Length];
        DTypeConversion.Narrow(values, narrowed);
        var widened = new float[values.Length];
        DTypeConversion.Widen(narrowed, widened);
        for (int i = 0; i < values.Length; i++)
        {
            ushort expected = BFloat16.RoundToBits(values[i]);
            Assert.Equal(expected, narrowed[i].Bits);
            Assert.Equal((uint)expected << 16, BitConverter.SingleToUInt32Bits(widened[i]));
        }
    }

    [Fact]
    public void NaN_StaysQuietNaN_WithSign()
    {
        Assert.True(BFloat16.FromSingle(float.NaN).IsNaN);
        uint negativeSignalling = 0xFF80_0001u;
        BFloat16 b = BFloat16.FromSingle(BitConverter.UInt32BitsToSingle(negativeSignalling));
        Assert.True(b.IsNaN);
        Assert.Equal(0x8000, b.Bits & 0x8000);
        Assert.Equal(0x0040, b.Bits & 0x0040);
    }

    [Theory]
    [InlineData(1.0f, 0x3F80)]
    [InlineData(-2.0f, 0xC000)]
    [InlineData(3.3895314e38f, 0x7F7F)]
    [InlineData(float.PositiveInfinity, 0x7F80)]
    [InlineData(3.4028235e38f, 0x7F80)]
    [InlineData(1.00390625f, 0x3F80)]
    [InlineData(1.01171875f, 0x3F82)]
    public void KnownValues(float value, int bits) => Assert.Equal((ushort)bits, BFloat16.FromSingle(value).Bits);

    /// <summary>Round-to-nearest-even computed from the definition: compare the distances to the two neighbours.</summary>
    private static ushort ReferenceRound(uint bits)
    {
        float value = BitConverter.UInt32BitsToSingle(bits);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x40);
        }

        uint lower = bits & 0xFFFF_0000u;
        if (lower == bits || float.IsInfinity(value))
        {
            return (ushort)(bits >> 16);
        }

        double v = Math.Abs((double)value);
        double lo = Math.Abs((double)BitConverter.UInt32BitsToSingle(lower));

        // The upper neighbour in magnitude; past the largest finite bf16 it is 2^128 (rounds to infinity).
        uint upper = lower + 0x1_0000u;
        double hi = (upper & 0x7F80_0000u) == 0x7F80_0000u ? Math.Pow(2, 128) : Math.Abs((double)BitConverter.UInt32BitsToSingle(upper));
        double dLo = v - lo;
        double dHi = hi - v;
        if (dLo < dHi)
        {
            return (ushort)(lower >> 16);
        }

        if (dHi < dLo)
        {
            return (ushort)(upper >> 16);
        }

        return (lower & 0x1_0000u) == 0 ? (ushort)(lower >> 16) : (ushort)(upper >> 16);
    }

    private static IEnumerable<uint> EdgePatterns()
    {
        foreach (uint sign in new[] { 0u, 0x8000_0000u })
        {
            foreach (uint hi in new uint[] { 0x0000, 0x0001, 0x007F, 0x0080, 0x3F80, 0x3F81, 0x7F7E, 0x7F7F, 0x7F80 })
            {
                foreach (uint lo in new uint[] { 0x0000, 0x0001, 0x7FFF, 0x8000, 0x8001, 0xFFFF })
                {
                    yield return sign | (hi << 16) | lo;
                }
            }
        }
    }
}
