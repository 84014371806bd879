using ZImageSharp.Testing;
using TensorOps = ZImageSharp.Tensors.Ops;

namespace ZImageSharp.Tensors.Tests.Ops;

public sealed class BinaryTests
{
    /// <summary>Shape pairs: equal shapes, a bias row, a per-channel column, scalars on either side, an outer product.</summary>
    private static readonly (int[] A, int[] B)[] ShapePairs =
    [
        ([1], [1]),
        ([7], [7]),
        ([257], [257]),
        ([4099], [4099]),
        ([4, 7, 33], [33]),
        ([2, 5, 3, 9], [1, 5, 1, 1]),
        ([1], [5, 17]),
        ([2, 3, 19], []),
        ([3, 1, 5], [1, 4, 1]),
        ([6, 1], [6, 4099]),
    ];

    public static TheoryData<BinaryOp, DType> Cases()
    {
        var data = new TheoryData<BinaryOp, DType>();
        foreach (BinaryOp op in Enum.GetValues<BinaryOp>())
        {
            foreach (DType dtype in OpInputs.FloatTypes)
            {
                data.Add(op, dtype);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Binary_BroadcastShapes_MatchNaive(BinaryOp op, DType dtype)
    {
        int seed = 0;
        foreach ((int[] sa, int[] sb) in ShapePairs)
        {
            using Tensor a = Operand(op, new Shape(sa), dtype, seed++, InputLayout.Contiguous, divisor: false);
            using Tensor b = Operand(op, new Shape(sb), dtype, seed++, InputLayout.Contiguous, divisor: true);
            using Tensor y = TensorOps.Binary(op, a, b);
            Assert.Equal(dtype, y.DType);
            TensorAssert.Close(NaiveOps.Binary(op, HostTensor.FromTensor(a), HostTensor.FromTensor(b)), y, Tolerances.Elementwise(dtype), $"{op} {dtype} [{string.Join(",", sa)}] with [{string.Join(",", sb)}]");
        }
    }

    [Theory]
    [InlineData(BinaryOp.Add, InputLayout.Transposed, InputLayout.PaddedRows)]
    [InlineData(BinaryOp.Sub, InputLayout.PaddedRows, InputLayout.Transposed)]
    [InlineData(BinaryOp.Mul, InputLayout.Transposed, InputLayout.Transposed)]
    [InlineData(BinaryOp.Div, InputLayout.PaddedRows, InputLayout.Contiguous)]
    [InlineData(BinaryOp.Maximum, InputLayout.Transposed, InputLayout.Contiguous)]
    public void Binary_NonContiguousInputs_MatchNaive(BinaryOp op, InputLayout layoutA, InputLayout layoutB)
    {
        var shape = new Shape(4, 23, 41);
        foreach (DType dtype in OpInputs.FloatTypes)
        {
            using Tensor a = Operand(op, shape, dtype, 1, layoutA, divisor: false);
            using Tensor b = Operand(op, shape, DType.F32, 2, layoutB, divisor: true);
            using Tensor y = TensorOps.Binary(op, a, b);
            DType output = DTypes.Promote(dtype, DType.F32);
            TensorAssert.Close(NaiveOps.Binary(op, HostTensor.FromTensor(a), HostTensor.FromTensor(b)), y, Tolerances.Elementwise(output));
        }
    }

    [Theory]
    [InlineData(DType.BF16, DType.F32)]
    [InlineData(DType.F16, DType.BF16)]
    [InlineData(DType.F32, DType.F16)]
    public void Binary_MixedDTypes_PromoteToF32(DType typeA, DType typeB)
    {
        using Tensor a = OpInputs.Random(new Shape(3, 5, 70), typeA, seed: 3);
        using Tensor b = OpInputs.Random(new Shape(5, 1), typeB, seed: 4);
        using Tensor y = TensorOps.Mul(a, b);
        Assert.Equal(DType.F32, y.DType);
        TensorAssert.Close(NaiveOps.Binary(BinaryOp.Mul, HostTensor.FromTensor(a), HostTensor.FromTensor(b)), y, Tolerances.Elementwise(DType.F32));
    }

    [Fact]
    public void Binary_ManyRowsWithBias_SplitOverThreads_MatchesNaive()
    {
        var shape = new Shape(70, 1031);
        using Tensor a = OpInputs.Make(OpInputs.ThreeThreads, TestData.Normal((int)shape.ElementCount, 5), shape, DType.BF16);
        using Tensor bias = OpInputs.Make(OpInputs.ThreeThreads, TestData.Normal(1031, 6), new Shape(1031), DType.F32);
        using Tensor y = a + bias;
        TensorAssert.Close(NaiveOps.Binary(BinaryOp.Add, HostTensor.FromTensor(a), HostTensor.FromTensor(bias)), y, Tolerances.Elementwise(DType.F32));
    }

    [Theory]
    [InlineData(BinaryOp.Sub)]
    [InlineData(BinaryOp.Div)]
    [InlineData(BinaryOp.Maximum)]
    public void Binary_BothInputsBroadcastAlongRows_MatchesNaive(BinaryOp op)
    {
        // Views already broadcast along the last dimension (stride 0 in both): each row is one value, repeated.
        using Tensor a = Operand(op, new Shape(4, 1), DType.BF16, 1, InputLayout.Contiguous, divisor: false);
        using Tensor b = Operand(op, new Shape(4, 1), DType.F32, 2, InputLayout.Contiguous, divisor: true);
        using Tensor wideA = a.BroadcastTo(new Shape(4, 37));
        using Tensor wideB = b.BroadcastTo(new Shape(4, 37));
        using Tensor y = TensorOps.Binary(op, wideA, wideB);
        TensorAssert.Close(NaiveOps.Binary(op, HostTensor.FromTensor(wideA), HostTensor.FromTensor(wideB)), y, Tolerances.Elementwise(DType.F32));
    }

    [Fact]
    public void Binary_DivByFloat_IsATrueDivision()
    {
        using Tensor x = OpInputs.Random(new Shape(3, 33), DType.F32, seed: 7, scale: 10f);
        using Tensor y = TensorOps.Div(x, 3f);
        HostTensor input = HostTensor.FromTensor(x);
        TensorAssert.Close(NaiveOps.Binary(BinaryOp.Div, input, new HostTensor([], [3.0])), y, Tolerances.Elementwise(DType.F32));
    }

    [Theory]
    [InlineData(BinaryOp.Maximum)]
    [InlineData(BinaryOp.Minimum)]
    public void Binary_MaximumMinimum_PropagateNaNFromEitherSide(BinaryOp op)
    {
        float[] av = [float.NaN, 1f, -2f, 3f, float.NaN, 0.5f, -1f, 2f, 7f, -7f, 1f, float.NegativeInfinity, 4f, -4f, 0f, 9f, 1f];
        float[] bv = [1f, float.NaN, 2f, -3f, float.NaN, -0.5f, -1f, 3f, -7f, 7f, float.PositiveInfinity, 1f, -4f, 4f, -0f, 8f, float.NaN];
        using Tensor a = Tensor.From<float>(OpInputs.Cpu, av);
        using Tensor b = Tensor.From<float>(OpInputs.Cpu, bv);
        using Tensor y = TensorOps.Binary(op, a, b);
        HostTensor expected = NaiveOps.Binary(op, HostTensor.FromTensor(a), HostTensor.FromTensor(b));
        TensorAssert.Close(expected, y, Tolerances.Elementwise(DType.F32));
        float[] actual = y.ToFloatArray();
        Assert.True(float.IsNaN(actual[0]) && float.IsNaN(actual[1]) && float.IsNaN(actual[4]) && float.IsNaN(actual[16]));

        // The scalar-broadcast form propagates NaN too.
        using Tensor nan = Tensor.From<float>(OpInputs.Cpu, [float.NaN]);
        using Tensor z = TensorOps.Binary(op, a, nan);
        Assert.All(z.ToFloatArray(), v => Assert.True(float.IsNaN(v)));
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.BF16)]
    public void Binary_Kernel_InPlaceOverA_WithBroadcastB(DType dtype)
    {
        using Tensor a = OpInputs.Random(new Shape(8, 9, 130), dtype, seed: 8);
        using Tensor b = OpInputs.Random(new Shape(9, 1), DType.F32, seed: 9);
        HostTensor expected = NaiveOps.Binary(BinaryOp.Sub, HostTensor.FromTensor(a), HostTensor.FromTensor(b));
        using Tensor bb = b.BroadcastTo(a.Shape);
        OpInputs.Cpu.Kernels.Binary(BinaryOp.Sub, a.ToRef(), bb.ToRef(), a.ToRef());
        TensorAssert.Close(expected, a, Tolerances.Elementwise(dtype));
    }

    [Fact]
    public void Binary_Kernel_WritesOnlyItsDestination()
    {
        using Tensor a = OpInputs.Random(new Shape(5, 3, 11), DType.BF16, seed: 10, layout: InputLayout.Transposed);
        using Tensor b = OpInputs.Random(new Shape(3, 1), DType.F16, seed: 11);
        using Tensor bb = b.BroadcastTo(a.Shape);
        using var guarded = GuardedOutput.Create(OpInputs.Cpu, a.Shape, DType.F32);
        OpInputs.Cpu.Kernels.Binary(BinaryOp.Add, a.ToRef(), bb.ToRef(), guarded.Destination.ToRef());
        guarded.AssertGuardsIntact();
        TensorAssert.Close(NaiveOps.Binary(BinaryOp.Add, HostTensor.FromTensor(a), HostTensor.FromTensor(b)), guarded.Destination, Tolerances.Elementwise(DType.F32));
    }

    private static Tensor Operand(BinaryOp op, Shape shape, DType dtype, int seed, InputLayout layout, bool divisor)
    {
        int n = checked((int)shape.ElementCount);
        float[] values = divisor && op == BinaryOp.Div ? OpInputs.AwayFromZero(n, seed, 0.25f, 4f) : TestData.Normal(n, seed, 2f);
        return OpInputs.Make(OpInputs.Cpu, values, shape, dtype, shape.Rank >= 2 ? layout : InputLayout.Contiguous);
    }
}
