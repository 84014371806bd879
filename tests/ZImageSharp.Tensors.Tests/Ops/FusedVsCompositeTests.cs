using ZImageSharp.Testing;
using TensorOps = ZImageSharp.Tensors.Ops;

namespace ZImageSharp.Tensors.Tests.Ops;

/// <summary>Each fused kernel against its composite of primitive ops on the same backend (candle's rms_norm vs rms_norm_slow).</summary>
public sealed class FusedVsCompositeTests
{
    private const float Eps = 1e-6f;

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.BF16)]
    public void RmsNorm_MatchesComposite(DType dtype)
    {
        using Tensor x = OpInputs.Random(new Shape(2, 7, 3840), dtype, seed: 1, layout: InputLayout.PaddedRows, scale: 3f);
        using Tensor w = OpInputs.Random(new Shape(3840), dtype, seed: 2);
        using Tensor fused = TensorOps.RmsNorm(x, w, Eps);
        using Tensor composite = Composite.RmsNorm(x, w, Eps);
        TensorAssert.Close(composite, fused, Tolerances.FusedVsComposite(dtype));
    }

    /// <summary>The DiT chains: modulate (scale only), gated residual (both), plain residual; a [B, 1, D] scale broadcast
    /// over tokens, a strided residual, a row length past the SIMD widths. In f32 the fused rows round exactly as the
    /// composite does, so they are equal bit for bit (that keeps the fixture parity of the model code).</summary>
    [Theory]
    [InlineData(DType.F32, true, false)]
    [InlineData(DType.F32, true, true)]
    [InlineData(DType.F32, false, true)]
    [InlineData(DType.BF16, true, true)]
    [InlineData(DType.F16, true, false)]
    public void RmsNormScaled_MatchesComposite(DType dtype, bool withScale, bool withResidual)
    {
        var shape = new Shape(3, 5, 259);
        using Tensor x = OpInputs.Random(shape, dtype, seed: 21, layout: InputLayout.PaddedRows, scale: 3f);
        using Tensor w = OpInputs.Random(new Shape(259), DType.BF16, seed: 22);
        using Tensor? scale = withScale ? OpInputs.Random(new Shape(3, 1, 259), DType.F32, seed: 23) : null;
        using Tensor? residual = withResidual ? OpInputs.Random(shape, DType.F32, seed: 24, layout: InputLayout.PaddedRows) : null;
        using Tensor fused = TensorOps.RmsNorm(x, w, Eps, scale, residual);

        // The fused kernel rounds to the output dtype once; a composite on bf16/f16 would round after every step, so
        // the reference is the f32 composite rounded once.
        using Tensor x32 = TensorOps.Cast(x, DType.F32);
        using Tensor composite32 = Composite.RmsNormScaled(x32, w, Eps, scale, residual);
        using Tensor composite = TensorOps.Cast(composite32, dtype);
        Assert.Equal(shape, fused.Shape);
        Assert.Equal(dtype, fused.DType);
        if (dtype == DType.F32)
        {
            Assert.Equal(composite.ToArray<float>(), fused.ToArray<float>());
        }
        else
        {
            TensorAssert.Close(composite, fused, Tolerances.FusedVsComposite(dtype));
        }
    }

    [Fact]
    public void RmsNormScaled_WithoutScaleOrResidual_IsTheRmsNorm()
    {
        using Tensor x = OpInputs.Random(new Shape(4, 33), DType.F32, seed: 25);
        using Tensor fused = TensorOps.RmsNorm(x, null, Eps, null, null);
        using Tensor plain = TensorOps.RmsNorm(x, null, Eps);
        Assert.Equal(plain.ToArray<float>(), fused.ToArray<float>());
    }

    [Fact]
    public void RmsNormScaled_RejectsAScaleThatGrowsX_AndAResidualOfAnotherShape()
    {
        using Tensor x = OpInputs.Random(new Shape(2, 1, 8), DType.F32, seed: 26);
        using Tensor wide = OpInputs.Random(new Shape(2, 3, 8), DType.F32, seed: 27);
        using Tensor other = OpInputs.Random(new Shape(2, 4, 8), DType.F32, seed: 28);
        Assert.Contains("must broadcast to x", Assert.Throws<ShapeMismatchException>(() => TensorOps.RmsNorm(x, null, Eps, wide, null)).Message, StringComparison.Ordinal);
        Assert.Contains("residual must have x's shape [2, 1, 8]", Assert.Throws<ShapeMismatchException>(() => TensorOps.RmsNorm(x, null, Eps, null, other)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.BF16)]
    public void LayerNorm_MatchesComposite(DType dtype)
    {
        using Tensor x = OpInputs.Random(new Shape(5, 257), dtype, seed: 3, scale: 2f);
        using Tensor w = OpInputs.Random(new Shape(257), dtype, seed: 4);
        using Tensor b = OpInputs.Random(new Shape(257), dtype, seed: 5);
        using Tensor fused = TensorOps.LayerNorm(x, w, b, Eps);
        using Tensor composite = Composite.LayerNorm(x, w, b, Eps);
        TensorAssert.Close(composite, fused, Tolerances.FusedVsComposite(dtype));
        using Tensor plainFused = TensorOps.LayerNorm(x, null, null, Eps);
        using Tensor plainComposite = Composite.LayerNorm(x, null, null, Eps);
        TensorAssert.Close(plainComposite, plainFused, Tolerances.FusedVsComposite(dtype));
    }

    [Theory]
    [InlineData(DType.F32, 32)]
    [InlineData(DType.BF16, 8)]
    [InlineData(DType.F32, 1)]
    public void GroupNorm_MatchesComposite(DType dtype, int groups)
    {
        using Tensor x = OpInputs.Random(new Shape(2, 64, 6, 10), dtype, seed: 6, scale: 2f);
        using Tensor w = OpInputs.Random(new Shape(64), dtype, seed: 7);
        using Tensor b = OpInputs.Random(new Shape(64), dtype, seed: 8);
        using Tensor fused = TensorOps.GroupNorm(x, groups, w, b, Eps);
        using Tensor composite = Composite.GroupNorm(x, groups, w, b, Eps);
        TensorAssert.Close(composite, fused, Tolerances.FusedVsComposite(dtype));
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.BF16)]
    public void Softmax_MatchesComposite(DType dtype)
    {
        using Tensor x = OpInputs.Random(new Shape(4, 9, 333), dtype, seed: 9, layout: InputLayout.PaddedRows, scale: 5f);
        using Tensor fused = TensorOps.Softmax(x);
        using Tensor composite = Composite.Softmax(x);
        TensorAssert.Close(composite, fused, Tolerances.FusedVsComposite(dtype));
    }

    [Theory]
    [InlineData(RopeLayout.Interleaved, DType.F32)]
    [InlineData(RopeLayout.HalfSplit, DType.F32)]
    [InlineData(RopeLayout.Interleaved, DType.BF16)]
    [InlineData(RopeLayout.HalfSplit, DType.BF16)]
    public void Rope_MatchesComposite(RopeLayout layout, DType dtype)
    {
        using Tensor x = OpInputs.Random(new Shape(2, 11, 3, 66), dtype, seed: 10);
        float[] angles = TestData.Uniform(11 * 33, seed: 11, -6f, 6f);
        using Tensor cos = Tensor.From<float>(OpInputs.Cpu, Array.ConvertAll(angles, MathF.Cos), 1, 11, 33);
        using Tensor sin = Tensor.From<float>(OpInputs.Cpu, Array.ConvertAll(angles, MathF.Sin), 1, 11, 33);
        using Tensor fused = TensorOps.Rope(x, cos, sin, layout);
        using Tensor composite = Composite.Rope(x, cos, sin, layout);
        TensorAssert.Close(composite, fused, Tolerances.FusedVsComposite(dtype));
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.BF16)]
    public void SwiGlu_MatchesComposite(DType dtype)
    {
        using Tensor gate = OpInputs.Random(new Shape(3, 1000), dtype, seed: 12, scale: 4f);
        using Tensor up = OpInputs.Random(new Shape(3, 1000), dtype, seed: 13, layout: InputLayout.Transposed);
        using Tensor fused = TensorOps.SwiGlu(gate, up);
        using Tensor composite = Composite.SwiGlu(gate, up);
        TensorAssert.Close(composite, fused, Tolerances.FusedVsComposite(dtype));
    }
}
