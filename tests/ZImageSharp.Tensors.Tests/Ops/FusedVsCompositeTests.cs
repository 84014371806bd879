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
