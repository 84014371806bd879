using ZImageSharp.Cpu;
using ZImageSharp.Tensors;
using ZImageSharp.Testing;

namespace ZImageSharp.Tensors.Tests.Ops;

public sealed class CopyTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;

    public static TheoryData<DType, DType> DTypePairs()
    {
        var data = new TheoryData<DType, DType>();
        foreach (DType a in Enum.GetValues<DType>())
        {
            foreach (DType b in Enum.GetValues<DType>())
            {
                data.Add(a, b);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DTypePairs))]
    public void Cast_BetweenAllDTypes_MatchesNaiveConversion(DType from, DType to)
    {
        // Small integers survive every dtype exactly; fractional values exercise the float roundings.
        float[] values = from.IsInteger() || to.IsInteger()
            ? [0, 1, 2, 3, 7, 100, 127, 200, 255, 13, 42, 9]
            : TestData.Normal(12, seed: 5, scale: 3f);
        using Tensor x = TestData.FromFloats(Cpu, values, new Shape(3, 4), from);
        HostTensor input = HostTensor.FromTensor(x);
        using Tensor y = ZImageSharp.Tensors.Ops.Cast(x, to);
        Assert.Equal(to, y.DType);
        TensorAssert.Close(NaiveOps.Cast(input, to), y, Tolerances.Copy(to));
    }

    [Fact]
    public void Copy_I64_IsBitExactForLargeValues()
    {
        long[] values = [long.MaxValue, long.MinValue, 1L << 40, -(1L << 53) - 1, 0, 12345678901234];
        using Tensor x = Tensor.From<long>(Cpu, values, 2, 3);
        using Tensor t = x.TransposeLast();
        using Tensor c = ZImageSharp.Tensors.Ops.Contiguous(t);
        Assert.Equal(new long[] { long.MaxValue, -(1L << 53) - 1, long.MinValue, 0, 1L << 40, 12345678901234 }, c.ToArray<long>());
    }

    [Fact]
    public void Copy_IntoStridedDestination_WritesOnlyTheView()
    {
        using Tensor big = Tensor.Zeros(Cpu, new Shape(4, 6));
        using Tensor view = big.Narrow(1, 2, 3).Narrow(0, 1, 2);
        using Tensor src = Tensor.From<float>(Cpu, [1, 2, 3, 4, 5, 6], 2, 3);
        ZImageSharp.Tensors.Ops.Copy(src, view);
        float[] all = big.ToArray<float>();
        float[] expected =
        [
            0, 0, 0, 0, 0, 0,
            0, 0, 1, 2, 3, 0,
            0, 0, 4, 5, 6, 0,
            0, 0, 0, 0, 0, 0,
        ];
        Assert.Equal(expected, all);
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.BF16)]
    [InlineData(DType.F16)]
    [InlineData(DType.I32)]
    [InlineData(DType.I64)]
    [InlineData(DType.U8)]
    public void Fill_StridedView_SetsOnlyTheView(DType dtype)
    {
        using Tensor big = Tensor.Zeros(Cpu, new Shape(3, 5), dtype);
        using Tensor column = big.Select(1, 3);
        ZImageSharp.Tensors.Ops.Fill(column, 9);
        float[] all = big.ToFloatArray();
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 5; c++)
            {
                Assert.Equal(c == 3 ? 9f : 0f, all[(r * 5) + c]);
            }
        }
    }

    [Fact]
    public void IndexSelect_RowsAndInnerDim_MatchNaive()
    {
        using Tensor table = TestData.Random(Cpu, new Shape(5, 3, 4), DType.BF16, seed: 3);
        using Tensor rows = Tensor.From<int>(Cpu, [4, 0, 4, 2]);
        using Tensor cols = Tensor.From<long>(Cpu, [3, 1]);
        HostTensor host = HostTensor.FromTensor(table);

        using Tensor byRow = ZImageSharp.Tensors.Ops.IndexSelect(table, rows, 0);
        TensorAssert.Close(NaiveOps.IndexSelect(host, [4, 0, 4, 2], 0), byRow, Tolerance.Exact);

        using Tensor byCol = ZImageSharp.Tensors.Ops.IndexSelect(table, cols, -1);
        TensorAssert.Close(NaiveOps.IndexSelect(host, [3, 1], 2), byCol, Tolerance.Exact);
    }

    [Fact]
    public void IndexSelect_OutOfRange_NamesTheIndex()
    {
        using Tensor table = Tensor.Zeros(Cpu, new Shape(5, 2));
        using Tensor idx = Tensor.From<int>(Cpu, [1, 5]);
        var e = Assert.Throws<TensorOpException>(() => ZImageSharp.Tensors.Ops.IndexSelect(table, idx));
        Assert.Contains("index 5 at position 1", e.Message);
    }

    [Fact]
    public void Concat_MixedViews_MatchesNaive()
    {
        using Tensor a = TestData.Random(Cpu, new Shape(2, 3, 4), DType.F32, seed: 1);
        using Tensor b = TestData.Random(Cpu, new Shape(2, 4, 3), DType.F32, seed: 2);
        using Tensor bt = b.TransposeLast();
        using Tensor c = ZImageSharp.Tensors.Ops.Concat([a, bt], 1);
        Assert.Equal(new[] { 2, 6, 4 }, c.Shape.ToArray());
        TensorAssert.Close(NaiveOps.Concat([HostTensor.FromTensor(a), HostTensor.FromTensor(bt)], 1), c, Tolerance.Exact);
    }
}
