using ZImageSharp.Cpu;
using ZImageSharp.Testing;
using TensorOps = ZImageSharp.Tensors.Ops;

namespace ZImageSharp.Tensors.Tests.Ops;

public sealed class RopeTests
{
    public static TheoryData<RopeLayout, DType> Cases()
    {
        var data = new TheoryData<RopeLayout, DType>();
        foreach (RopeLayout layout in Enum.GetValues<RopeLayout>())
        {
            foreach (DType dtype in OpInputs.FloatTypes)
            {
                data.Add(layout, dtype);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rope_HeadSizesAndTableBatches_MatchNaive(RopeLayout layout, DType dtype)
    {
        foreach (int d in new[] { 2, 6, 34, 64, 128, 130 })
        {
            foreach (int tableBatch in new[] { 1, 2 })
            {
                using Tensor x = OpInputs.Random(new Shape(2, 5, 3, d), dtype, seed: d);
                (Tensor cos, Tensor sin) = Tables(OpInputs.Cpu, tableBatch, 5, d / 2, seed: d + tableBatch);
                using (cos)
                using (sin)
                {
                    using Tensor y = TensorOps.Rope(x, cos, sin, layout);
                    Assert.Equal(dtype, y.DType);
                    HostTensor expected = NaiveOps.Rope(HostTensor.FromTensor(x), HostTensor.FromTensor(cos), HostTensor.FromTensor(sin), layout);
                    TensorAssert.Close(expected, y, Tolerances.RowOp(dtype), $"rope {layout} {dtype} d={d} Bt={tableBatch}");
                }
            }
        }
    }

    [Theory]
    [InlineData(RopeLayout.Interleaved)]
    [InlineData(RopeLayout.HalfSplit)]
    public void Rope_PermutedAndNarrowedViews_MatchNaive(RopeLayout layout)
    {
        // q as attention produces it: stored [B, H, S, D], viewed [B, S, H, D], then two heads narrowed away.
        var stored = new Shape(2, 6, 9, 64);
        using Tensor bhsd = OpInputs.Random(stored, DType.BF16, seed: 1);
        using Tensor bshd = bhsd.Permute(0, 2, 1, 3);
        using Tensor x = bshd.Narrow(2, 1, 4);
        (Tensor cos, Tensor sin) = Tables(OpInputs.Cpu, 2, 9, 32, seed: 2, DType.BF16);
        using (cos)
        using (sin)
        {
            using Tensor y = TensorOps.Rope(x, cos, sin, layout);
            HostTensor expected = NaiveOps.Rope(HostTensor.FromTensor(x), HostTensor.FromTensor(cos), HostTensor.FromTensor(sin), layout);
            TensorAssert.Close(expected, y, Tolerances.RowOp(DType.BF16));
        }
    }

    [Theory]
    [InlineData(RopeLayout.Interleaved)]
    [InlineData(RopeLayout.HalfSplit)]
    public void Rope_ManyRowsOnThreeThreads_IntoGuardedDestination(RopeLayout layout)
    {
        var shape = new Shape(1, 70, 30, 128);
        using Tensor x = OpInputs.Make(OpInputs.ThreeThreads, TestData.Normal((int)shape.ElementCount, 3), shape, DType.F32, InputLayout.PaddedRows);
        (Tensor cos, Tensor sin) = Tables(OpInputs.ThreeThreads, 1, 70, 64, seed: 4);
        using (cos)
        using (sin)
        {
            using var guarded = GuardedOutput.Create(OpInputs.ThreeThreads, shape, DType.BF16);
            OpInputs.ThreeThreads.Kernels.Rope(x.ToRef(), cos.ToRef(), sin.ToRef(), layout, guarded.Destination.ToRef());
            guarded.AssertGuardsIntact();
            HostTensor expected = NaiveOps.Rope(HostTensor.FromTensor(x), HostTensor.FromTensor(cos), HostTensor.FromTensor(sin), layout);
            TensorAssert.Close(expected, guarded.Destination, Tolerances.RowOp(DType.BF16));
        }
    }

    [Fact]
    public void Rope_ZeroAngles_IsIdentity()
    {
        using Tensor x = OpInputs.Random(new Shape(1, 3, 2, 8), DType.F32, seed: 5);
        using Tensor cos = Tensor.Ones(OpInputs.Cpu, new Shape(1, 3, 4));
        using Tensor sin = Tensor.Zeros(OpInputs.Cpu, new Shape(1, 3, 4));
        foreach (RopeLayout layout in Enum.GetValues<RopeLayout>())
        {
            using Tensor y = TensorOps.Rope(x, cos, sin, layout);
            TensorAssert.Equal<float>(x.ToArray<float>(), y);
        }
    }

    /// <summary>cos and sin of random angles, [batch, seq, half].</summary>
    private static (Tensor Cos, Tensor Sin) Tables(CpuBackend backend, int batch, int seq, int half, int seed, DType dtype = DType.F32)
    {
        float[] angles = TestData.Uniform(batch * seq * half, seed, -10f, 10f);
        float[] cos = Array.ConvertAll(angles, MathF.Cos);
        float[] sin = Array.ConvertAll(angles, MathF.Sin);
        var shape = new Shape(batch, seq, half);
        return (OpInputs.Make(backend, cos, shape, dtype), OpInputs.Make(backend, sin, shape, dtype));
    }
}
