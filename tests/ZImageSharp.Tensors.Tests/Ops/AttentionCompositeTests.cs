using ZImageSharp.Cpu;
using ZImageSharp.Tensors;
using ZImageSharp.Testing;

namespace ZImageSharp.Tensors.Tests.Ops;

/// <summary>
/// The fused attention kernel against <see cref="Composite.Attention"/> (matmul → masked softmax → matmul) on the
/// same backend. The composite needs the element-wise, softmax and reduction kernels.
/// </summary>
public sealed class AttentionCompositeTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;

    [Theory]
    [InlineData(1, 2, 2, 33, 47, 16, false, false)]
    [InlineData(2, 4, 2, 20, 20, 32, true, true)]
    [InlineData(1, 4, 1, 100, 130, 64, true, false)]
    [InlineData(2, 1, 1, 9, 200, 7, false, true)]
    public void Attention_Fused_MatchesComposite(int batch, int hq, int hkv, int sq, int sk, int d, bool causal, bool masked)
    {
        using Tensor q = TestData.Random(Cpu, new Shape(batch, hq, sq, d), DType.F32, seed: 1);
        using Tensor k = TestData.Random(Cpu, new Shape(batch, hkv, sk, d), DType.F32, seed: 2);
        using Tensor v = TestData.Random(Cpu, new Shape(batch, hkv, sk, d), DType.F32, seed: 3);
        using Tensor? mask = masked ? Tensor.From<byte>(Cpu, AttentionTests.Mask(batch, sk, seed: 4), batch, sk) : null;
        float scale = 1f / MathF.Sqrt(d);
        using Tensor fused = ZImageSharp.Tensors.Ops.Attention(q, k, v, mask, causal, scale);
        using Tensor composite = Composite.Attention(q, k, v, mask, causal, scale);
        TensorAssert.Close(composite, fused, Tolerances.FusedVsComposite(DType.F32));
    }

    [Fact]
    public void Attention_Bf16_MatchesComposite()
    {
        // The composite runs on the exactly widened f32 inputs, so its unrounded result is the reference for the fused
        // kernel's single rounding to bf16 (two independent roundings could differ by a whole bf16 step).
        using Tensor q = TestData.Random(Cpu, new Shape(1, 3, 40, 64), DType.BF16, seed: 1);
        using Tensor k = TestData.Random(Cpu, new Shape(1, 3, 50, 64), DType.BF16, seed: 2);
        using Tensor v = TestData.Random(Cpu, new Shape(1, 3, 50, 64), DType.BF16, seed: 3);
        using Tensor fused = ZImageSharp.Tensors.Ops.Attention(q, k, v, causal: true);
        using Tensor q32 = ZImageSharp.Tensors.Ops.Cast(q, DType.F32);
        using Tensor k32 = ZImageSharp.Tensors.Ops.Cast(k, DType.F32);
        using Tensor v32 = ZImageSharp.Tensors.Ops.Cast(v, DType.F32);
        using Tensor composite = Composite.Attention(q32, k32, v32, null, causal: true, 1f / MathF.Sqrt(64));
        TensorAssert.Close(composite, fused, Tolerances.FusedVsComposite(DType.BF16));
    }
}
