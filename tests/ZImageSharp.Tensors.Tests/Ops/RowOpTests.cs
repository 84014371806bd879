using ZImageSharp.Testing;
using TensorOps = ZImageSharp.Tensors.Ops;

namespace ZImageSharp.Tensors.Tests.Ops;

public sealed class RowOpTests
{
    public static TheoryData<DType, InputLayout> DTypesAndLayouts()
    {
        var data = new TheoryData<DType, InputLayout>();
        foreach (DType dtype in OpInputs.FloatTypes)
        {
            data.Add(dtype, InputLayout.Contiguous);
            data.Add(dtype, InputLayout.PaddedRows);
            data.Add(dtype, InputLayout.Transposed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DTypesAndLayouts))]
    public void Softmax_EveryLength_MatchesNaive(DType dtype, InputLayout layout)
    {
        foreach (int d in OpInputs.Lengths)
        {
            using Tensor x = OpInputs.Random(new Shape(3, d), dtype, seed: d, layout: d > 1 ? layout : InputLayout.Contiguous, scale: 4f);
            using Tensor y = TensorOps.Softmax(x);
            TensorAssert.Close(NaiveOps.Softmax(HostTensor.FromTensor(x)), y, Tolerances.RowOp(dtype), $"softmax {dtype} d={d}");
        }
    }

    [Fact]
    public void Softmax_NegativeInfinityAndHugeValues_DoNotOverflow()
    {
        float ninf = float.NegativeInfinity;
        float[] values =
        [
            ninf, 1f, ninf, 2f, 0.5f, ninf, 3f, -1f, ninf, 0f, 1f, 2f, ninf, 4f, -2f, 1f, 0.25f,
            3e38f, 1e38f, -3e38f, 3e38f, 0f, 1e30f, 2e38f, 1f, -1e30f, 3.4e38f, 5f, 3.4e38f, 0f, 1f, 2f, 3f, 4f,
            1000f, 999f, 998f, 1000f, 990f, 1001f, -1000f, 500f, 1000.5f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f,
        ];
        using Tensor x = Tensor.From<float>(OpInputs.Cpu, values, 3, 17);
        using Tensor y = TensorOps.Softmax(x);
        float[] actual = y.ToFloatArray();
        Assert.All(actual, v => Assert.True(float.IsFinite(v) && v >= 0f, $"{v} is not a probability"));
        Assert.Equal(0f, actual[0]);
        TensorAssert.Close(NaiveOps.Softmax(HostTensor.FromTensor(x)), y, Tolerances.RowOp(DType.F32));
    }

    [Fact]
    public void Softmax_ManyRows_SplitOverThreads_AndGuardedDestination()
    {
        var shape = new Shape(2, 60, 513);
        using Tensor x = OpInputs.Make(OpInputs.ThreeThreads, TestData.Normal((int)shape.ElementCount, 3, 3f), shape, DType.BF16, InputLayout.PaddedRows);
        using var guarded = GuardedOutput.Create(OpInputs.ThreeThreads, shape, DType.F32);
        OpInputs.ThreeThreads.Kernels.Softmax(x.ToRef(), guarded.Destination.ToRef());
        guarded.AssertGuardsIntact();
        TensorAssert.Close(NaiveOps.Softmax(HostTensor.FromTensor(x)), guarded.Destination, Tolerances.RowOp(DType.F32));
    }

    public static TheoryData<ReduceOp, DType> ReduceCases()
    {
        var data = new TheoryData<ReduceOp, DType>();
        foreach (ReduceOp op in Enum.GetValues<ReduceOp>())
        {
            foreach (DType dtype in OpInputs.FloatTypes)
            {
                data.Add(op, dtype);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ReduceCases))]
    public void Reduce_EveryLength_MatchesNaive(ReduceOp op, DType dtype)
    {
        foreach (int d in OpInputs.Lengths)
        {
            foreach (InputLayout layout in new[] { InputLayout.Contiguous, InputLayout.PaddedRows, InputLayout.Transposed })
            {
                using Tensor x = OpInputs.Random(new Shape(4, d), dtype, seed: d, layout: d > 1 ? layout : InputLayout.Contiguous, scale: 3f);
                using Tensor y = TensorOps.Reduce(op, x, keepDim: true);
                Assert.Equal(new[] { 4, 1 }, y.Shape.ToArray());
                TensorAssert.Close(NaiveOps.Reduce(op, HostTensor.FromTensor(x)), y, Tolerances.RowOp(dtype), $"{op} {dtype} d={d} {layout}");
            }
        }
    }

    [Theory]
    [InlineData(ReduceOp.Sum)]
    [InlineData(ReduceOp.Mean)]
    [InlineData(ReduceOp.Max)]
    [InlineData(ReduceOp.Min)]
    [InlineData(ReduceOp.L2Norm)]
    public void Reduce_LengthOneRows_AreTheValuesThemselves(ReduceOp op)
    {
        float[] values = [3f, -2f, 0.5f, -0f, 7f];
        using Tensor x = Tensor.From<float>(OpInputs.Cpu, values, 5, 1);
        using Tensor y = TensorOps.Reduce(op, x);
        Assert.Equal(new[] { 5 }, y.Shape.ToArray());
        float[] expected = op == ReduceOp.L2Norm ? [3f, 2f, 0.5f, 0f, 7f] : values;
        Assert.Equal(expected, y.ToFloatArray());
    }

    [Fact]
    public void Reduce_ManyRowsOnThreeThreads_IntoGuardedBf16()
    {
        var shape = new Shape(3, 50, 700);
        using Tensor x = OpInputs.Make(OpInputs.ThreeThreads, TestData.Normal((int)shape.ElementCount, 5), shape, DType.F16, InputLayout.PaddedRows);
        using var guarded = GuardedOutput.Create(OpInputs.ThreeThreads, new Shape(3, 50, 1), DType.BF16);
        OpInputs.ThreeThreads.Kernels.Reduce(ReduceOp.L2Norm, x.ToRef(), guarded.Destination.ToRef());
        guarded.AssertGuardsIntact();
        TensorAssert.Close(NaiveOps.Reduce(ReduceOp.L2Norm, HostTensor.FromTensor(x)), guarded.Destination, Tolerances.RowOp(DType.BF16));
    }

    [Fact]
    public void Reduce_MaxMin_PropagateNaN_SumOfEmptyRowIsZero()
    {
        using Tensor x = Tensor.From<float>(OpInputs.Cpu, [1f, float.NaN, 3f, 4f, 5f, 6f], 2, 3);
        using Tensor max = TensorOps.Max(x);
        using Tensor min = TensorOps.Min(x);
        float[] maxValues = max.ToFloatArray();
        Assert.True(float.IsNaN(maxValues[0]));
        Assert.Equal(6f, maxValues[1]);
        Assert.True(float.IsNaN(min.ToFloatArray()[0]));

        using Tensor empty = Tensor.Zeros(OpInputs.Cpu, new Shape(3, 0));
        using Tensor sum = TensorOps.Sum(empty);
        using Tensor norm = TensorOps.L2Norm(empty);
        Assert.Equal(new[] { 0f, 0f, 0f }, sum.ToFloatArray());
        Assert.Equal(new[] { 0f, 0f, 0f }, norm.ToFloatArray());
    }
}
