using ZImageSharp.Testing;
using TensorOps = ZImageSharp.Tensors.Ops;

namespace ZImageSharp.Tensors.Tests.Ops;

public sealed class ElementwiseTests
{
    public static TheoryData<UnaryOp, DType> UnaryCases()
    {
        var data = new TheoryData<UnaryOp, DType>();
        foreach (UnaryOp op in Enum.GetValues<UnaryOp>())
        {
            foreach (DType dtype in OpInputs.FloatTypes)
            {
                data.Add(op, dtype);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(UnaryCases))]
    public void Unary_EveryLength_MatchesNaive(UnaryOp op, DType dtype)
    {
        foreach (int n in OpInputs.Lengths)
        {
            using Tensor x = OpInputs.Make(OpInputs.Cpu, Domain(op, n, seed: n), new Shape(n), dtype);
            using Tensor y = TensorOps.Unary(op, x);
            Assert.Equal(dtype, y.DType);
            TensorAssert.Close(NaiveOps.Unary(op, HostTensor.FromTensor(x)), y, ToleranceFor(op, dtype), $"{op} {dtype} n={n}");
        }
    }

    [Theory]
    [InlineData(UnaryOp.Silu, InputLayout.PaddedRows, DType.F32)]
    [InlineData(UnaryOp.Gelu, InputLayout.Transposed, DType.F32)]
    [InlineData(UnaryOp.Exp, InputLayout.Transposed, DType.BF16)]
    [InlineData(UnaryOp.Tanh, InputLayout.PaddedRows, DType.F16)]
    [InlineData(UnaryOp.Neg, InputLayout.Transposed, DType.F16)]
    public void Unary_NonContiguousInput_MatchesNaive(UnaryOp op, InputLayout layout, DType dtype)
    {
        var shape = new Shape(3, 37, 29);
        using Tensor x = OpInputs.Make(OpInputs.Cpu, Domain(op, (int)shape.ElementCount, seed: 4), shape, dtype, layout);
        Assert.False(x.IsContiguous);
        using Tensor y = TensorOps.Unary(op, x);
        TensorAssert.Close(NaiveOps.Unary(op, HostTensor.FromTensor(x)), y, ToleranceFor(op, dtype));
    }

    [Fact]
    public void Unary_BroadcastInput_RepeatsTheValues()
    {
        using Tensor row = OpInputs.Random(new Shape(1, 33), DType.BF16, seed: 8);
        using Tensor x = row.BroadcastTo(new Shape(5, 33));
        using Tensor y = TensorOps.Unary(UnaryOp.Sigmoid, x);
        TensorAssert.Close(NaiveOps.Unary(UnaryOp.Sigmoid, HostTensor.FromTensor(x)), y, Tolerances.Transcendental(DType.BF16));
    }

    [Fact]
    public void Unary_ManyRows_SplitOverThreads_MatchesNaive()
    {
        var shape = new Shape(67, 1031);
        using Tensor x = OpInputs.Make(OpInputs.ThreeThreads, TestData.Normal((int)shape.ElementCount, 9, 3f), shape, DType.BF16, InputLayout.PaddedRows);
        using Tensor y = TensorOps.Unary(UnaryOp.Silu, x);
        TensorAssert.Close(NaiveOps.Unary(UnaryOp.Silu, HostTensor.FromTensor(x)), y, Tolerances.Transcendental(DType.BF16));
    }

    [Theory]
    [InlineData(DType.BF16, DType.F32)]
    [InlineData(DType.F32, DType.BF16)]
    [InlineData(DType.F16, DType.BF16)]
    public void Unary_OutputDTypeDiffersFromInput_RoundsOnce(DType input, DType output)
    {
        using Tensor x = OpInputs.Random(new Shape(4, 45), input, seed: 10, layout: InputLayout.PaddedRows, scale: 2f);
        using Tensor y = TensorOps.Unary(UnaryOp.Tanh, x, output);
        Assert.Equal(output, y.DType);
        TensorAssert.Close(NaiveOps.Unary(UnaryOp.Tanh, HostTensor.FromTensor(x)), y, Tolerances.Transcendental(output));
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.BF16)]
    public void Unary_InPlace_ReadsEveryElementBeforeOverwritingIt(DType dtype)
    {
        using Tensor x = OpInputs.Random(new Shape(70, 1031), dtype, seed: 11, scale: 3f);
        HostTensor expected = NaiveOps.Unary(UnaryOp.Gelu, HostTensor.FromTensor(x));
        OpInputs.Cpu.Kernels.Unary(UnaryOp.Gelu, x.ToRef(), x.ToRef());
        TensorAssert.Close(expected, x, Tolerances.Transcendental(dtype));
    }

    [Fact]
    public void Unary_Kernel_WritesOnlyItsDestination()
    {
        using Tensor x = OpInputs.Random(new Shape(5, 19), DType.F32, seed: 12, layout: InputLayout.Transposed);
        using var guarded = GuardedOutput.Create(OpInputs.Cpu, x.Shape, DType.BF16);
        OpInputs.Cpu.Kernels.Unary(UnaryOp.Exp, x.ToRef(), guarded.Destination.ToRef());
        guarded.AssertGuardsIntact();
        TensorAssert.Close(NaiveOps.Unary(UnaryOp.Exp, HostTensor.FromTensor(x)), guarded.Destination, Tolerances.Transcendental(DType.BF16));
    }

    [Theory]
    [InlineData(DType.F32, InputLayout.Contiguous)]
    [InlineData(DType.BF16, InputLayout.PaddedRows)]
    [InlineData(DType.F16, InputLayout.Transposed)]
    public void Affine_NearCancellation_IsCorrectlyRounded(DType dtype, InputLayout layout)
    {
        // shift ≈ −scale·x for many elements: a product rounded before the add would lose the small result.
        var shape = new Shape(9, 67);
        using Tensor x = OpInputs.Make(OpInputs.Cpu, TestData.Uniform((int)shape.ElementCount, 13, 0.1f, 0.3f), shape, dtype, layout);
        const float scale = 1.7f;
        const float shift = -0.34f;
        using Tensor y = TensorOps.Affine(x, scale, shift, DType.F32);
        TensorAssert.Close(NaiveOps.Affine(HostTensor.FromTensor(x), scale, shift), y, Tolerances.Elementwise(DType.F32));
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.BF16)]
    [InlineData(DType.F16)]
    public void Affine_EveryLength_MatchesNaive(DType dtype)
    {
        foreach (int n in OpInputs.Lengths)
        {
            using Tensor x = OpInputs.Random(new Shape(n), dtype, seed: n, scale: 5f);
            using Tensor y = x * 0.37f;
            using Tensor z = TensorOps.Affine(x, -2.5f, 0.125f);
            TensorAssert.Close(NaiveOps.Affine(HostTensor.FromTensor(x), 0.37f, 0), y, Tolerances.Elementwise(dtype));
            TensorAssert.Close(NaiveOps.Affine(HostTensor.FromTensor(x), -2.5f, 0.125f), z, Tolerances.Elementwise(dtype));
        }
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.BF16)]
    [InlineData(DType.F16)]
    public void Clamp_NaNStaysNaN_InfinitiesClamp(DType dtype)
    {
        float[] values = [float.NaN, -3f, -1f, -0.5f, 0f, 0.25f, 0.5f, 2f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1f, -2f, 0.75f, 5f, -0.75f, 0.1f];
        using Tensor x = OpInputs.Make(OpInputs.Cpu, values, new Shape(values.Length), dtype);
        using Tensor y = TensorOps.Clamp(x, -1f, 0.5f);
        HostTensor expected = NaiveOps.Clamp(HostTensor.FromTensor(x), -1, 0.5);
        Assert.True(double.IsNaN(expected.Data[0]));
        TensorAssert.Close(expected, y, Tolerances.Elementwise(dtype));
        float[] actual = y.ToFloatArray();
        Assert.True(float.IsNaN(actual[0]) && float.IsNaN(actual[10]), "NaN must stay NaN.");
    }

    [Fact]
    public void Clamp_StridedManyRows_MatchesNaive()
    {
        var shape = new Shape(130, 517);
        using Tensor x = OpInputs.Make(OpInputs.ThreeThreads, TestData.Normal((int)shape.ElementCount, 14, 2f), shape, DType.F32, InputLayout.Transposed);
        using Tensor y = TensorOps.Clamp(x, -1.5f, 1.5f, DType.BF16);
        TensorAssert.Close(NaiveOps.Clamp(HostTensor.FromTensor(x), -1.5, 1.5), y, Tolerances.Elementwise(DType.BF16));
    }

    [Theory]
    [InlineData(DType.F32, DType.F32, InputLayout.Contiguous)]
    [InlineData(DType.BF16, DType.BF16, InputLayout.PaddedRows)]
    [InlineData(DType.F16, DType.F16, InputLayout.Transposed)]
    [InlineData(DType.BF16, DType.F32, InputLayout.Contiguous)]
    public void SwiGlu_MatchesNaive(DType gateType, DType upType, InputLayout layout)
    {
        foreach (int n in new[] { 1, 7, 33, 257, 4099 })
        {
            var shape = new Shape(3, n);
            using Tensor gate = OpInputs.Random(shape, gateType, seed: n, layout: layout, scale: 4f);
            using Tensor up = OpInputs.Random(shape, upType, seed: n + 1, layout: layout);
            using Tensor y = TensorOps.SwiGlu(gate, up);
            DType output = DTypes.Promote(gateType, upType);
            Assert.Equal(output, y.DType);
            TensorAssert.Close(NaiveOps.SwiGlu(HostTensor.FromTensor(gate), HostTensor.FromTensor(up)), y, Tolerances.Transcendental(output));
        }
    }

    [Fact]
    public void SwiGlu_Kernel_InPlaceOverGate_WritesOnlyTheGate()
    {
        using Tensor gate = OpInputs.Random(new Shape(6, 1000), DType.BF16, seed: 15, scale: 4f);
        using Tensor up = OpInputs.Random(new Shape(6, 1000), DType.F32, seed: 16, layout: InputLayout.Transposed);
        HostTensor expected = NaiveOps.SwiGlu(HostTensor.FromTensor(gate), HostTensor.FromTensor(up));
        OpInputs.Cpu.Kernels.SwiGlu(gate.ToRef(), up.ToRef(), gate.ToRef());
        TensorAssert.Close(expected, gate, Tolerances.Transcendental(DType.BF16));
    }

    /// <summary>Inputs inside each function's domain, spread so every branch of the approximations is reached.</summary>
    internal static float[] Domain(UnaryOp op, int n, int seed) => op switch
    {
        UnaryOp.Sqrt or UnaryOp.Rsqrt or UnaryOp.Log => TestData.Uniform(n, seed, 0.01f, 20f),
        UnaryOp.Reciprocal => OpInputs.AwayFromZero(n, seed, 0.05f, 8f),
        UnaryOp.Gelu or UnaryOp.Silu or UnaryOp.Sigmoid or UnaryOp.Tanh => TestData.Normal(n, seed, 4f),
        UnaryOp.Exp => TestData.Normal(n, seed, 2f), // e^(±4σ) stays inside f16's range (65504)
        _ => TestData.Normal(n, seed, 3f),
    };

    /// <summary>Correctly rounded arithmetic gets the element-wise bound; approximated functions the transcendental one.</summary>
    internal static Tolerance ToleranceFor(UnaryOp op, DType output) => op switch
    {
        UnaryOp.Neg or UnaryOp.Abs or UnaryOp.Square or UnaryOp.Sqrt or UnaryOp.Rsqrt or UnaryOp.Reciprocal => Tolerances.Elementwise(output),
        _ => Tolerances.Transcendental(output),
    };
}
