using ZImageSharp.Cpu;
using ZImageSharp.Tensors;
using ZImageSharp.Testing;

namespace ZImageSharp.Tensors.Tests.Ops;

/// <summary>
/// The GEMM driver and the attention kernel called directly with every micro-kernel this CPU supports (not only the one
/// Ops picks), the GEMM with a tiny shared-slice budget, so the portable and AVX2 kernels and the multi-slice plan run
/// in every test pass.
/// </summary>
public sealed unsafe class GemmKernelTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;

    public static TheoryData<int, int, int, int, bool, bool> Cases()
    {
        var data = new TheoryData<int, int, int, int, bool, bool>();
        for (int kernel = 0; kernel < GemmKernel.Supported.Count; kernel++)
        {
            data.Add(kernel, 1, 1, 1, false, false);
            data.Add(kernel, 7, 3, 33, true, false);
            data.Add(kernel, 50, 270, 77, false, true);
            data.Add(kernel, 230, 300, 37, true, true);
            data.Add(kernel, 200, 20, 530, false, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gemm_EveryKernel_MatchesNaive(int kernelIndex, int m, int k, int n, bool transposeA, bool transposeB)
    {
        GemmKernel kernel = GemmKernel.Supported[kernelIndex];
        using Tensor a0 = TestData.Random(Cpu, transposeA ? new Shape(1, k, m) : new Shape(1, m, k), DType.BF16, seed: m);
        using Tensor b0 = TestData.Random(Cpu, transposeB ? new Shape(1, n, k) : new Shape(1, k, n), DType.F32, seed: n, scale: 1f / MathF.Sqrt(k));
        using Tensor a = transposeA ? a0.TransposeLast() : a0.View(a0.Layout);
        using Tensor b = transposeB ? b0.TransposeLast() : b0.View(b0.Layout);
        float[] columnBias = TestData.Normal(n, seed: 1);
        float[] rowBias = TestData.Normal(m, seed: 2);
        using Tensor c = Tensor.Empty(Cpu, new Shape(1, m, n), DType.F32);
        TensorRef cr = c.ToRef();
        fixed (float* cb = columnBias)
        fixed (float* rb = rowBias)
        {
            var output = new GemmOutput(CpuMemory.Base(cr), DType.F32, cr.Layout.Offset, (long)m * n, n, cb, rb);
            var source = new MatrixPanelSource(StridedMatrix.From(b.ToRef()));

            // 4096 floats: slices of a few panels, so wide N runs several shared slices.
            Gemm.Run(Cpu.Parallel, kernel, 1, m, n, k, StridedMatrix.From(a.ToRef()), source, output, sliceBudgetFloats: 4096);
        }

        HostTensor expected = NaiveOps.MatMul(HostTensor.FromTensor(a), HostTensor.FromTensor(b));
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                expected.Data[(i * n) + j] += columnBias[j] + rowBias[i];
            }
        }

        TensorAssert.Close(expected, c, Tolerances.Product(DType.F32), kernel.ToString());
    }

    public static TheoryData<int> Kernels()
    {
        var data = new TheoryData<int>();
        for (int kernel = 0; kernel < GemmKernel.Supported.Count; kernel++)
        {
            data.Add(kernel);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Attention_EveryKernel_MatchesNaive(int kernelIndex)
    {
        // GQA + causal + mask, two query blocks and two key tiles, bf16 V (packed) and f32 V (read in place).
        GemmKernel kernel = GemmKernel.Supported[kernelIndex];
        foreach (DType valueType in new[] { DType.BF16, DType.F32 })
        {
            using Tensor q = TestData.Random(Cpu, new Shape(1, 4, 130, 32), DType.F32, seed: 1);
            using Tensor k = TestData.Random(Cpu, new Shape(1, 2, 200, 32), DType.F32, seed: 2);
            using Tensor v = TestData.Random(Cpu, new Shape(1, 2, 200, 64), valueType, seed: 3);
            byte[] maskValues = AttentionTests.Mask(1, 200, seed: 4);
            using Tensor mask = Tensor.From<byte>(Cpu, maskValues, 1, 200);
            using Tensor y = Tensor.Empty(Cpu, new Shape(1, 4, 130, 64), DType.F32);
            float scale = 1f / MathF.Sqrt(32);
            FlashAttention.Run(Cpu.Parallel, kernel, new AttentionOperands(q.ToRef(), k.ToRef(), v.ToRef(), mask.ToRef(), causal: true, scale, y.ToRef()));
            var expected = NaiveOps.Attention(HostTensor.FromTensor(q), HostTensor.FromTensor(k), HostTensor.FromTensor(v), maskValues, causal: true, scale);
            TensorAssert.Close(expected, y, Tolerances.Product(DType.F32), $"{kernel} V {valueType}");
        }
    }
}
