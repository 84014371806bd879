namespace ZImageSharp.Pipelines.Noise;

/// <summary>
/// The float32 Box-Muller transform that <c>torch.randn</c> applies to 16 uniforms at a time on x86-64
/// (<c>normal_fill_16_AVX2</c>), reproduced bit for bit: the same operations in the same order with the same
/// roundings, one lane at a time.
/// </summary>
/// <remarks>
/// <para>PyTorch's AVX2 kernel does not call libm: its log and sincos are <c>avx_mathfun.h</c> (G. Garberoglio,
/// after J. Pommier's <c>sse_mathfun.h</c>), vector versions of the Cephes <c>logf</c>/<c>sinf</c>/<c>cosf</c>
/// polynomials by S. L. Moshier. Their results differ from correctly rounded functions in the last bits, which is why
/// this is written out instead of using <see cref="MathF.Log(float)"/>.</para>
/// <para>PyTorch compiles the kernel with <c>-mavx2 -mfma</c>, and GCC fuses a multiply into the add or subtract that
/// consumes it (its default <c>-ffp-contract=fast</c>) when that add is the multiply's only use, taking the
/// multiplies in program order. Every <see cref="MathF.FusedMultiplyAdd"/> below marks such a fused pair; a plain
/// <c>a * b + c</c> is one that stays two roundings. With exactly this placement all 368,756 values of the torch-rng
/// fixture match PyTorch 1.13; without fusion about one value in a thousand differs in the last bit.</para>
/// <para>Constants are written as the C source does, a double literal rounded to float.</para>
/// </remarks>
internal static class BoxMuller16
{
    /// <summary>Values per chunk; lane j and lane j + 8 form one Box-Muller pair.</summary>
    public const int Size = 16;

    private const int Half = Size / 2;

    // 2π rounded to float once (the kernel's _mm256_set1_ps(2.0f * pi<double>)); the angle is then a float product.
    private const float TwoPi = (float)(2.0 * Math.PI);

    /// <summary>Turns 16 uniforms in [0, 1) into 16 standard normals, in place.</summary>
    public static void Transform(Span<float> chunk)
    {
        if (chunk.Length != Size)
        {
            throw new ArgumentException($"A Box-Muller chunk holds {Size} values, not {chunk.Length}.", nameof(chunk));
        }

        for (int j = 0; j < Half; j++)
        {
            float u1 = 1f - chunk[j]; // [0, 1) → (0, 1], so the log is finite
            float u2 = chunk[j + Half];
            float radius = MathF.Sqrt(-2f * Log(u1));
            SinCos(TwoPi * u2, out float sin, out float cos);
            chunk[j] = radius * cos;
            chunk[j + Half] = radius * sin;
        }
    }

    /// <summary>Cephes logf as log256_ps evaluates it, for x in (0, 1] (normal, positive).</summary>
    internal static float Log(float x)
    {
        const float SqrtHalf = (float)0.707106781186547524;
        const float Q1 = (float)-2.12194440e-4; // log(2) = Q2 − Q1 split in two parts
        const float Q2 = (float)0.693359375;

        // x = m · 2^e with m in [0.5, 1): the exponent field gives e, forcing the exponent of 0.5 gives m.
        int bits = BitConverter.SingleToInt32Bits(x);
        float e = ((bits >>> 23) - 0x7F) + 1f;
        float m = BitConverter.Int32BitsToSingle((bits & ~0x7F800000) | BitConverter.SingleToInt32Bits(0.5f));

        // Keep m − 1 small: below √½ use 2m − 1 and one less in the exponent.
        bool belowSqrtHalf = m < SqrtHalf;
        float extra = belowSqrtHalf ? m : 0f;
        m -= 1f;
        e -= belowSqrtHalf ? 1f : 0f;
        m += extra;

        float z = m * m;
        float y = MathF.FusedMultiplyAdd((float)7.0376836292E-2, m, (float)-1.1514610310E-1);
        y = MathF.FusedMultiplyAdd(y, m, (float)1.1676998740E-1);
        y = MathF.FusedMultiplyAdd(y, m, (float)-1.2420140846E-1);
        y = MathF.FusedMultiplyAdd(y, m, (float)1.4249322787E-1);
        y = MathF.FusedMultiplyAdd(y, m, (float)-1.6668057665E-1);
        y = MathF.FusedMultiplyAdd(y, m, (float)2.0000714765E-1);
        y = MathF.FusedMultiplyAdd(y, m, (float)-2.4999993993E-1);
        y = MathF.FusedMultiplyAdd(y, m, (float)3.3333331174E-1);
        y *= m;
        y = MathF.FusedMultiplyAdd(y, z, e * Q1); // y·z is fused (it comes first); e·Q1 is rounded on its own
        y -= z * 0.5f;                            // z·0.5 is exact, fused or not
        return (m + y) + (e * Q2);                // e·Q2 is exact (e is a small integer, Q2 has 9 bits)
    }

    /// <summary>Cephes sinf and cosf together as sincos256_ps evaluates them, for x in [0, 2π).</summary>
    internal static void SinCos(float x, out float sin, out float cos)
    {
        const float FourOverPi = (float)1.27323954473516;

        // j = the octant rounded up to even; x is reduced by j·π/4 in three parts (Cody-Waite).
        int j = (int)(x * FourOverPi);
        j = (j + 1) & ~1;
        float jf = j;
        x = MathF.FusedMultiplyAdd(jf, (float)-0.78515625, x);
        x = MathF.FusedMultiplyAdd(jf, (float)-2.4187564849853515625e-4, x);
        x = MathF.FusedMultiplyAdd(jf, (float)-3.77489497744594108e-8, x);

        bool negateSin = (j & 4) != 0;
        bool negateCos = (~(j - 2) & 4) != 0;
        bool sinIsSinPolynomial = (j & 2) == 0;

        float z = x * x;

        // cos polynomial on [−π/4, π/4]: 1 − z/2 + z²·P(z).
        float c = MathF.FusedMultiplyAdd((float)2.443315711809948E-005, z, (float)-1.388731625493765E-003);
        c = MathF.FusedMultiplyAdd(c, z, (float)4.166664568298827E-002);
        c *= z;
        c = MathF.FusedMultiplyAdd(c, z, -(z * 0.5f));
        c += 1f;

        // sin polynomial on [−π/4, π/4]: x + x·z·Q(z).
        float s = MathF.FusedMultiplyAdd((float)-1.9515295891E-4, z, (float)8.3321608736E-3);
        s = MathF.FusedMultiplyAdd(s, z, (float)-1.6666654611E-1);
        s *= z;
        s = MathF.FusedMultiplyAdd(s, x, x);

        sin = sinIsSinPolynomial ? s : c;
        cos = sinIsSinPolynomial ? c : s;
        if (negateSin)
        {
            sin = -sin;
        }

        if (negateCos)
        {
            cos = -cos;
        }
    }
}
