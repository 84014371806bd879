using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Tests.Kernels;

/// <summary>Representative calls of every IKernels method (shapes, dtypes, optional operands, strided views), run
/// against a <see cref="FakeKernelHost"/> by the ABI tests.</summary>
internal static class KernelScenarios
{
    private static readonly DType[] Floats = [DType.F32, DType.F16, DType.BF16];

    public static IEnumerable<(string Name, Action<FakeKernelHost> Run)> All()
    {
        yield return ("copy contiguous f32→bf16", h => h.Kernels.Copy(h.Tensor(DType.F32, [4, 8]), h.Tensor(DType.BF16, [4, 8])));
        yield return ("copy transposed f16→f32", h => h.Kernels.Copy(h.Tensor(DType.F16, [8, 4], [1, 8]), h.Tensor(DType.F32, [8, 4])));
        yield return ("copy i64→i32 into a slice", h => h.Kernels.Copy(h.Tensor(DType.I64, [3, 5]), h.Tensor(DType.I32, [3, 5], [10, 1], 5)));
        yield return ("copy rank 8", h => h.Kernels.Copy(h.Tensor(DType.U8, [2, 2, 2, 2, 2, 2, 2, 2], [256, 64, 32, 8, 4, 2, 1, 128]), h.Tensor(DType.U8, [2, 2, 2, 2, 2, 2, 2, 2])));
        foreach (DType t in new[] { DType.F32, DType.BF16, DType.F16, DType.I32, DType.I64, DType.U8 })
        {
            yield return ($"fill {t}", h => h.Kernels.Fill(h.Tensor(t, [3, 7]), 1.5));
        }

        yield return ("index_select i64 dim 0", h => h.Kernels.IndexSelect(h.Tensor(DType.BF16, [10, 16]), h.Tensor(DType.I64, [3]), 0, h.Tensor(DType.BF16, [3, 16])));
        yield return ("index_select i32 dim 1", h => h.Kernels.IndexSelect(h.Tensor(DType.F32, [2, 10, 4]), h.Tensor(DType.I32, [5]), 1, h.Tensor(DType.F32, [2, 5, 4])));
        foreach (UnaryOp op in Enum.GetValues<UnaryOp>())
        {
            yield return ($"unary {op}", h => h.Kernels.Unary(op, h.Tensor(DType.BF16, [5, 6]), h.Tensor(DType.F32, [5, 6])));
        }

        foreach (BinaryOp op in Enum.GetValues<BinaryOp>())
        {
            yield return ($"binary {op} broadcast", h => h.Kernels.Binary(op, h.Tensor(DType.F32, [4, 6]), h.Tensor(DType.BF16, [4, 6], [0, 1]), h.Tensor(DType.F32, [4, 6])));
        }

        yield return ("affine", h => h.Kernels.Affine(h.Tensor(DType.F16, [9]), 2f, -1f, h.Tensor(DType.F16, [9])));
        yield return ("clamp", h => h.Kernels.Clamp(h.Tensor(DType.F32, [3, 3], [1, 3]), -1f, 1f, h.Tensor(DType.F32, [3, 3])));
        yield return ("swiglu", h => h.Kernels.SwiGlu(h.Tensor(DType.BF16, [2, 8], [16, 1]), h.Tensor(DType.BF16, [2, 8], [16, 1], 8), h.Tensor(DType.BF16, [2, 8])));
        foreach (DType t in Floats)
        {
            yield return ($"rmsnorm {t} + bf16 weight", h => h.Kernels.RmsNorm(h.Tensor(t, [2, 7, 3840]), h.Tensor(DType.BF16, [3840]), 1e-6f, h.Tensor(t, [2, 7, 3840])));
            yield return ($"layernorm {t}", h => h.Kernels.LayerNorm(h.Tensor(t, [6, 64]), h.Tensor(DType.F32, [64]), h.Tensor(DType.F32, [64]), 1e-5f, h.Tensor(t, [6, 64])));
            yield return ($"softmax {t}", h => h.Kernels.Softmax(h.Tensor(t, [2, 3, 33]), h.Tensor(t, [2, 3, 33])));
        }

        yield return ("rmsnorm no weight, strided rows", h => h.Kernels.RmsNorm(h.Tensor(DType.F32, [4, 128], [256, 1]), null, 1e-6f, h.Tensor(DType.F32, [4, 128])));
        yield return ("rmsnorm_scaled scale [B,1,D] + residual", h => h.Kernels.RmsNormScaled(
            h.Tensor(DType.BF16, [2, 5, 64]), h.Tensor(DType.F32, [64]), 1e-6f, h.Tensor(DType.F32, [2, 5, 64], [64, 0, 1]), h.Tensor(DType.BF16, [2, 5, 64]), h.Tensor(DType.BF16, [2, 5, 64])));
        yield return ("rmsnorm_scaled residual only", h => h.Kernels.RmsNormScaled(h.Tensor(DType.F32, [3, 32]), null, 1e-6f, null, h.Tensor(DType.F32, [3, 32]), h.Tensor(DType.F32, [3, 32])));
        yield return ("rmsnorm_scaled scale only", h => h.Kernels.RmsNormScaled(h.Tensor(DType.F32, [3, 32]), null, 1e-6f, h.Tensor(DType.F16, [3, 32]), null, h.Tensor(DType.F32, [3, 32])));
        yield return ("layernorm no affine", h => h.Kernels.LayerNorm(h.Tensor(DType.F32, [6, 64]), null, null, 1e-5f, h.Tensor(DType.F32, [6, 64])));
        foreach (ReduceOp op in Enum.GetValues<ReduceOp>())
        {
            yield return ($"reduce {op}", h => h.Kernels.Reduce(op, h.Tensor(DType.BF16, [3, 4, 50]), h.Tensor(DType.BF16, [3, 4, 1])));
        }

        yield return ("reduce sum of empty rows", h => h.Kernels.Reduce(ReduceOp.Sum, h.Tensor(DType.F32, [3, 0]), h.Tensor(DType.F32, [3, 1])));
        yield return ("groupnorm small", h => h.Kernels.GroupNorm(h.Tensor(DType.F32, [2, 32, 64]), 8, h.Tensor(DType.F32, [32]), h.Tensor(DType.F32, [32]), 1e-6f, h.Tensor(DType.F32, [2, 32, 64])));
        yield return ("groupnorm VAE 1024²", h => h.Kernels.GroupNorm(h.Tensor(DType.BF16, [1, 128, 1024 * 1024]), 32, h.Tensor(DType.BF16, [128]), null, 1e-6f, h.Tensor(DType.BF16, [1, 128, 1024 * 1024])));
        yield return ("conv2d 3×3 pad 1", h => h.Kernels.Conv2d(h.Tensor(DType.F32, [1, 3, 32, 32]), h.Tensor(DType.F32, [64, 3, 3, 3]), h.Tensor(DType.F32, [64]), Conv2dParams.Symmetric(1, 1), h.Tensor(DType.F32, [1, 64, 32, 32])));
        yield return ("conv2d stride 2 asymmetric, bf16 weight, no bias", h => h.Kernels.Conv2d(h.Tensor(DType.F16, [2, 8, 17, 17]), h.Tensor(DType.BF16, [8, 8, 3, 3]), null, new Conv2dParams(2, 0, 1, 0, 1), h.Tensor(DType.F16, [2, 8, 9, 9])));
        yield return ("conv2d VAE 1024² 128→128", h => h.Kernels.Conv2d(h.Tensor(DType.BF16, [1, 128, 1024, 1024]), h.Tensor(DType.BF16, [128, 128, 3, 3]), h.Tensor(DType.BF16, [128]), Conv2dParams.Symmetric(1, 1), h.Tensor(DType.BF16, [1, 128, 1024, 1024])));
        yield return ("upsample ×2 bf16", h => h.Kernels.UpsampleNearest(h.Tensor(DType.BF16, [1, 4, 8, 8]), 2, h.Tensor(DType.BF16, [1, 4, 16, 16])));
        yield return ("upsample ×3 i64", h => h.Kernels.UpsampleNearest(h.Tensor(DType.I64, [2, 1, 3, 5]), 3, h.Tensor(DType.I64, [2, 1, 9, 15])));
        yield return ("rope interleaved shared table", h => h.Kernels.Rope(h.Tensor(DType.BF16, [2, 16, 4, 128]), h.Tensor(DType.F32, [1, 16, 64]), h.Tensor(DType.F32, [1, 16, 64]), RopeLayout.Interleaved, h.Tensor(DType.BF16, [2, 16, 4, 128])));
        yield return ("rope half-split per batch, strided x", h => h.Kernels.Rope(h.Tensor(DType.F32, [2, 16, 4, 64], [16 * 4 * 192, 4 * 192, 192, 1]), h.Tensor(DType.F32, [2, 16, 32]), h.Tensor(DType.F32, [2, 16, 32]), RopeLayout.HalfSplit, h.Tensor(DType.F32, [2, 16, 4, 64])));
        yield return ("attention D=128 bf16, mask", h => h.Kernels.Attention(h.Tensor(DType.BF16, [1, 30, 300, 128]), h.Tensor(DType.BF16, [1, 30, 300, 128]), h.Tensor(DType.BF16, [1, 30, 300, 128]), h.Tensor(DType.U8, [1, 300]), false, 0.088f, h.Tensor(DType.BF16, [1, 30, 300, 128], [300 * 30 * 128, 128, 30 * 128, 1])));
        yield return ("attention GQA causal D=64, Dv=32", h => h.Kernels.Attention(h.Tensor(DType.F32, [2, 8, 17, 64]), h.Tensor(DType.F16, [2, 2, 40, 64]), h.Tensor(DType.F32, [2, 2, 40, 32]), null, true, 0.125f, h.Tensor(DType.F32, [2, 8, 17, 32])));
        yield return ("attention D=256 (opt-in shared memory)", h => h.Kernels.Attention(h.Tensor(DType.F16, [1, 2, 9, 256]), h.Tensor(DType.F16, [1, 2, 9, 256]), h.Tensor(DType.F16, [1, 2, 9, 256]), null, false, 0.0625f, h.Tensor(DType.F16, [1, 2, 9, 256])));
    }
}
