using ZImageSharp.Testing;
using TensorOps = ZImageSharp.Tensors.Ops;

namespace ZImageSharp.Tensors.Tests.Ops;

public sealed class UpsampleTests
{
    public static TheoryData<DType, int> Cases()
    {
        var data = new TheoryData<DType, int>();
        foreach (DType dtype in Enum.GetValues<DType>())
        {
            foreach (int scale in new[] { 1, 2, 3 })
            {
                data.Add(dtype, scale);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void UpsampleNearest_EveryDType_CopiesElementsExactly(DType dtype, int scale)
    {
        // Widths around every vector count (32 bytes, 16 halves, 8 singles) plus tails; integer values survive every dtype.
        foreach (int w in new[] { 1, 7, 8, 16, 37, 67 })
        {
            var shape = new Shape(2, 3, 5, w);
            float[] values = new float[shape.ElementCount];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (i * 37) % 251;
            }

            using Tensor x = TestData.FromFloats(OpInputs.Cpu, values, shape, dtype);
            using Tensor y = TensorOps.UpsampleNearest(x, scale);
            Assert.Equal(new[] { 2, 3, 5 * scale, w * scale }, y.Shape.ToArray());
            TensorAssert.Close(NaiveOps.UpsampleNearest(HostTensor.FromTensor(x), scale), y, Tolerance.Exact, $"{dtype} x{scale} w={w}");
        }
    }

    [Fact]
    public void UpsampleNearest_I64AndBf16_AreBitExact()
    {
        long[] big = [long.MaxValue, long.MinValue, 1L << 53, -3, 0, 12345678901234, 7, -(1L << 40)];
        using Tensor x = Tensor.From<long>(OpInputs.Cpu, big, 1, 2, 2, 2);
        using Tensor y = TensorOps.UpsampleNearest(x, 2);
        long[] actual = y.ToArray<long>();
        for (int c = 0; c < 2; c++)
        {
            for (int i = 0; i < 4; i++)
            {
                for (int j = 0; j < 4; j++)
                {
                    Assert.Equal(big[(c * 4) + ((i / 2) * 2) + (j / 2)], actual[(c * 16) + (i * 4) + j]);
                }
            }
        }

        // NaN payloads and -0 survive: the op moves bytes, it never converts.
        ushort[] bits = [0x7FC1, 0x8000, 0xFF80, 0x3F80, 0x0001, 0x7F81, 0xC2F7, 0x1234, 0xABCD, 0x4000, 0x0000, 0xFFFF, 0x8001, 0x7F80, 0x3C00, 0x5555, 0xAAAA];
        using Tensor raw = Tensor.From<BFloat16>(OpInputs.Cpu, Array.ConvertAll(bits, BFloat16.FromBits), 1, 1, 1, 17);
        using Tensor up = TensorOps.UpsampleNearest(raw, 2);
        BFloat16[] result = up.ToArray<BFloat16>();
        for (int i = 0; i < result.Length; i++)
        {
            Assert.Equal(bits[(i % 34) / 2], result[i].Bits);
        }
    }

    [Fact]
    public void UpsampleNearest_NonContiguousInput_AndGuardedKernelDestination()
    {
        using Tensor stored = OpInputs.Random(new Shape(2, 9, 11, 4), DType.BF16, seed: 3);
        using Tensor x = stored.Permute(0, 3, 1, 2);
        using Tensor y = TensorOps.UpsampleNearest(x, 2);
        HostTensor expected = NaiveOps.UpsampleNearest(HostTensor.FromTensor(x), 2);
        TensorAssert.Close(expected, y, Tolerance.Exact);

        using Tensor packed = TensorOps.Contiguous(x);
        using var guarded = GuardedOutput.Create(OpInputs.Cpu, y.Shape, DType.BF16);
        OpInputs.Cpu.Kernels.UpsampleNearest(packed.ToRef(), 2, guarded.Destination.ToRef());
        guarded.AssertGuardsIntact();
        TensorAssert.Close(expected, guarded.Destination, Tolerance.Exact);
    }
}
