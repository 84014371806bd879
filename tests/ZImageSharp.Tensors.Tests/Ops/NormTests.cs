using ZImageSharp.Testing;
using TensorOps = ZImageSharp.Tensors.Ops;

namespace ZImageSharp.Tensors.Tests.Ops;

public sealed class NormTests
{
    private const float Eps = 1e-6f;

    public static TheoryData<DType, InputLayout> DTypesAndLayouts()
    {
        var data = new TheoryData<DType, InputLayout>();
        foreach (DType dtype in OpInputs.FloatTypes)
        {
            data.Add(dtype, InputLayout.Contiguous);
            data.Add(dtype, InputLayout.PaddedRows);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DTypesAndLayouts))]
    public void RmsNorm_EveryLength_MatchesNaive(DType dtype, InputLayout layout)
    {
        foreach (int d in OpInputs.Lengths)
        {
            using Tensor x = OpInputs.Random(new Shape(3, d), dtype, seed: d, layout: layout, scale: 2f);
            using Tensor w = OpInputs.Random(new Shape(d), dtype, seed: d + 1);
            using Tensor y = TensorOps.RmsNorm(x, w, Eps);
            using Tensor plain = TensorOps.RmsNorm(x, null, 1e-5f);
            HostTensor hx = HostTensor.FromTensor(x);
            TensorAssert.Close(NaiveOps.RmsNorm(hx, HostTensor.FromTensor(w), Eps), y, Tolerances.RowOp(dtype), $"rms_norm {dtype} d={d}");
            TensorAssert.Close(NaiveOps.RmsNorm(hx, null, 1e-5f), plain, Tolerances.RowOp(dtype), $"rms_norm {dtype} d={d} without weight");
        }
    }

    [Theory]
    [InlineData(DType.F32, DType.BF16)]
    [InlineData(DType.BF16, DType.F32)]
    [InlineData(DType.F16, DType.BF16)]
    public void RmsNorm_WeightOfAnotherDType_MatchesNaive(DType xType, DType wType)
    {
        using Tensor x = OpInputs.Random(new Shape(2, 5, 130), xType, seed: 1);
        using Tensor w = OpInputs.Random(new Shape(130), wType, seed: 2);
        using Tensor y = TensorOps.RmsNorm(x, w, Eps);
        Assert.Equal(xType, y.DType);
        TensorAssert.Close(NaiveOps.RmsNorm(HostTensor.FromTensor(x), HostTensor.FromTensor(w), Eps), y, Tolerances.RowOp(xType));
    }

    [Fact]
    public void RmsNorm_ZeroRow_IsFiniteZero()
    {
        using Tensor x = Tensor.Zeros(OpInputs.Cpu, new Shape(2, 64));
        using Tensor w = OpInputs.Random(new Shape(64), DType.F32, seed: 3);
        using Tensor y = TensorOps.RmsNorm(x, w, Eps);
        Assert.All(y.ToFloatArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void RmsNorm_NarrowedBatchAndManyRows_SplitOverThreads_MatchesNaive()
    {
        // Rows of a [5, 40, 520] tensor narrowed to batches 1..3 and columns 3..515: non-uniform row offsets, many chunks.
        var full = new Shape(5, 40, 520);
        using Tensor all = OpInputs.Make(OpInputs.ThreeThreads, TestData.Normal((int)full.ElementCount, 4, 2f), full, DType.BF16);
        using Tensor batch = all.Narrow(0, 1, 3);
        using Tensor x = batch.Narrow(2, 3, 512);
        using Tensor w = OpInputs.Make(OpInputs.ThreeThreads, TestData.Normal(512, 5), new Shape(512), DType.F32);
        using Tensor y = TensorOps.RmsNorm(x, w, Eps);
        TensorAssert.Close(NaiveOps.RmsNorm(HostTensor.FromTensor(x), HostTensor.FromTensor(w), Eps), y, Tolerances.RowOp(DType.BF16));
    }

    [Fact]
    public void RmsNorm_Kernel_WritesOnlyItsDestination()
    {
        using Tensor x = OpInputs.Random(new Shape(4, 37), DType.F16, seed: 6, layout: InputLayout.PaddedRows);
        using Tensor w = OpInputs.Random(new Shape(37), DType.BF16, seed: 7);
        using var guarded = GuardedOutput.Create(OpInputs.Cpu, x.Shape, DType.F32);
        OpInputs.Cpu.Kernels.RmsNorm(x.ToRef(), w.ToRef(), Eps, guarded.Destination.ToRef());
        guarded.AssertGuardsIntact();
        TensorAssert.Close(NaiveOps.RmsNorm(HostTensor.FromTensor(x), HostTensor.FromTensor(w), Eps), guarded.Destination, Tolerances.RowOp(DType.F32));
    }

    [Theory]
    [MemberData(nameof(DTypesAndLayouts))]
    public void LayerNorm_EveryLengthAndAffineForm_MatchesNaive(DType dtype, InputLayout layout)
    {
        foreach (int d in OpInputs.Lengths)
        {
            // An offset mean checks the variance does not cancel; d = 1 has zero variance (output = bias).
            float[] values = TestData.Normal(3 * d, d, 1.5f);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] += 2.5f;
            }

            using Tensor x = OpInputs.Make(OpInputs.Cpu, values, new Shape(3, d), dtype, layout);
            using Tensor w = OpInputs.Random(new Shape(d), dtype, seed: d + 1);
            using Tensor b = OpInputs.Random(new Shape(d), dtype, seed: d + 2);
            HostTensor hx = HostTensor.FromTensor(x);
            HostTensor hw = HostTensor.FromTensor(w);
            HostTensor hb = HostTensor.FromTensor(b);
            (Tensor? W, Tensor? B, HostTensor? HW, HostTensor? HB)[] forms = [(w, b, hw, hb), (w, null, hw, null), (null, b, null, hb), (null, null, null, null)];
            foreach (var (fw, fb, fhw, fhb) in forms)
            {
                using Tensor y = TensorOps.LayerNorm(x, fw, fb, Eps);
                TensorAssert.Close(NaiveOps.LayerNorm(hx, fhw, fhb, Eps), y, Tolerances.RowOp(dtype), $"layer_norm {dtype} d={d} weight={fw is not null} bias={fb is not null}");
            }
        }
    }

    [Fact]
    public void LayerNormAndGroupNorm_LargeMeanSmallSpread_StayAccurate()
    {
        // mean/std = 2·10⁴: an f32 mean or an unshifted E[x²] − mean² would leave errors far above the bound.
        float[] values = TestData.Normal(2 * 4 * 1500, 17, 0.05f);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] += 1000f;
        }

        using Tensor x = Tensor.From<float>(OpInputs.Cpu, values, 2, 4, 1500);
        HostTensor hx = HostTensor.FromTensor(x);
        using Tensor layer = TensorOps.LayerNorm(x, null, null, Eps);
        TensorAssert.Close(NaiveOps.LayerNorm(hx, null, null, Eps), layer, Tolerances.RowOp(DType.F32));
        using Tensor group = TensorOps.GroupNorm(x, 2, null, null, Eps);
        TensorAssert.Close(NaiveOps.GroupNorm(hx, 2, null, null, Eps), group, Tolerances.RowOp(DType.F32));
    }

    [Fact]
    public void LayerNorm_MixedDTypes_AndGuardedDestination()
    {
        using Tensor x = OpInputs.Random(new Shape(6, 3840), DType.F32, seed: 8, layout: InputLayout.PaddedRows);
        using Tensor w = OpInputs.Random(new Shape(3840), DType.BF16, seed: 9);
        using Tensor b = OpInputs.Random(new Shape(3840), DType.F16, seed: 10);
        using var guarded = GuardedOutput.Create(OpInputs.Cpu, x.Shape, DType.BF16);
        OpInputs.Cpu.Kernels.LayerNorm(x.ToRef(), w.ToRef(), b.ToRef(), Eps, guarded.Destination.ToRef());
        guarded.AssertGuardsIntact();
        TensorAssert.Close(NaiveOps.LayerNorm(HostTensor.FromTensor(x), HostTensor.FromTensor(w), HostTensor.FromTensor(b), Eps), guarded.Destination, Tolerances.RowOp(DType.BF16));
    }

    public static TheoryData<int[], int, DType> GroupNormCases() => new()
    {
        { [2, 6, 5, 7], 1, DType.F32 },
        { [2, 6, 5, 7], 3, DType.BF16 },
        { [2, 6, 5, 7], 6, DType.F16 },
        { [1, 4, 3000], 2, DType.BF16 },
        { [1, 2, 5000], 1, DType.F32 },
        { [3, 32, 9, 9], 32, DType.F32 },
        { [2, 8, 33], 4, DType.F16 },
        { [1, 5, 1], 5, DType.F32 },
    };

    [Theory]
    [MemberData(nameof(GroupNormCases))]
    public void GroupNorm_GroupSizes_MatchNaive(int[] shape, int groups, DType dtype)
    {
        int c = shape[1];
        var s = new Shape(shape);
        float[] values = TestData.Normal((int)s.ElementCount, groups, 2f);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] += 0.75f;
        }

        using Tensor x = OpInputs.Make(OpInputs.Cpu, values, s, dtype);
        using Tensor w = OpInputs.Random(new Shape(c), dtype, seed: 11);
        using Tensor b = OpInputs.Random(new Shape(c), DType.F32, seed: 12);
        using Tensor y = TensorOps.GroupNorm(x, groups, w, b, Eps);
        using Tensor plain = TensorOps.GroupNorm(x, groups, null, null, Eps);
        HostTensor hx = HostTensor.FromTensor(x);
        TensorAssert.Close(NaiveOps.GroupNorm(hx, groups, HostTensor.FromTensor(w), HostTensor.FromTensor(b), Eps), y, Tolerances.RowOp(dtype));
        TensorAssert.Close(NaiveOps.GroupNorm(hx, groups, null, null, Eps), plain, Tolerances.RowOp(dtype));
    }

    [Fact]
    public void GroupNorm_NonContiguousInputOnThreeThreads_MatchesNaive()
    {
        // Channels-last storage permuted to [N, C, H, W]: Ops packs it; many (sample, group) items spread over the threads.
        var stored = new Shape(4, 6, 7, 64);
        using Tensor nhwc = OpInputs.Make(OpInputs.ThreeThreads, TestData.Normal((int)stored.ElementCount, 13), stored, DType.BF16);
        using Tensor x = nhwc.Permute(0, 3, 1, 2);
        using Tensor w = OpInputs.Make(OpInputs.ThreeThreads, TestData.Normal(64, 14), new Shape(64), DType.BF16);
        using Tensor y = TensorOps.GroupNorm(x, 32, w, null, Eps);
        TensorAssert.Close(NaiveOps.GroupNorm(HostTensor.FromTensor(x), 32, HostTensor.FromTensor(w), null, Eps), y, Tolerances.RowOp(DType.BF16));
    }

    [Fact]
    public void GroupNorm_Kernel_WritesOnlyItsDestination()
    {
        using Tensor x = OpInputs.Random(new Shape(2, 4, 45), DType.BF16, seed: 15);
        using Tensor w = OpInputs.Random(new Shape(4), DType.F32, seed: 16);
        using var guarded = GuardedOutput.Create(OpInputs.Cpu, x.Shape, DType.F32);
        OpInputs.Cpu.Kernels.GroupNorm(x.ToRef(), 2, w.ToRef(), null, Eps, guarded.Destination.ToRef());
        guarded.AssertGuardsIntact();
        TensorAssert.Close(NaiveOps.GroupNorm(HostTensor.FromTensor(x), 2, HostTensor.FromTensor(w), null, Eps), guarded.Destination, Tolerances.RowOp(DType.F32));
    }
}
