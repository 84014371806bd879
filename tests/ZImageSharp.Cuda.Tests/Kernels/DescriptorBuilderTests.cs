using System.Runtime.CompilerServices;
using ZImageSharp.Cuda.Kernels;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Tests.Kernels;

public sealed class DescriptorBuilderTests
{
    [Fact]
    public void Descriptor_Is144Bytes_LikeTheCudaStruct()
    {
        Assert.Equal(TensorDescriptor.ByteSize, Unsafe.SizeOf<TensorDescriptor>());
        Assert.Equal(144, TensorDescriptor.ByteSize);
        Assert.Equal(Shape.MaxRank, TensorDescriptor.MaxRank);
    }

    [Fact]
    public void Contiguous_CollapsesToOneDimension()
    {
        CollapsedShape c = DescriptorBuilder.Collapse(new Shape(2, 3, 4), [12, 4, 1], [12, 4, 1]);
        Assert.Equal([24L], c.Sizes);
        Assert.Equal([1L], c.Strides[0]);
        Assert.Equal([1L], c.Strides[1]);
    }

    [Fact]
    public void SizeOneDimensions_AreDropped_WhateverTheirStride()
    {
        CollapsedShape c = DescriptorBuilder.Collapse(new Shape(1, 5, 1, 3), [999, 3, 7, 1]);
        Assert.Equal([15L], c.Sizes);
        Assert.Equal([1L], c.Strides[0]);
    }

    [Fact]
    public void Broadcast_KeepsStrideZero_AndSplitsWhereTheOperandsDisagree()
    {
        // a [4, 6] contiguous, b a broadcast row [6] (stride 0 over rows), destination contiguous.
        CollapsedShape c = DescriptorBuilder.Collapse(new Shape(4, 6), [6, 1], [0, 1], [6, 1]);
        Assert.Equal([4L, 6L], c.Sizes);
        Assert.Equal([6L, 1L], c.Strides[0]);
        Assert.Equal([0L, 1L], c.Strides[1]);
    }

    [Fact]
    public void BroadcastOuterDims_MergeWithEachOther()
    {
        // [2, 3, 4] where the two outer dims are both broadcast: they merge (0 = 0·3), the row stays separate.
        CollapsedShape c = DescriptorBuilder.Collapse(new Shape(2, 3, 4), [0, 0, 1]);
        Assert.Equal([6L, 4L], c.Sizes);
        Assert.Equal([0L, 1L], c.Strides[0]);
    }

    [Fact]
    public void PermutedView_DoesNotCollapse_ButItsContiguousPartsDo()
    {
        // x [2, 3, 4] permuted to [4, 2, 3] (strides [1, 12, 4]): dims 1 and 2 merge (12 = 4·3), dim 0 does not.
        CollapsedShape c = DescriptorBuilder.Collapse(new Shape(4, 2, 3), [1, 12, 4]);
        Assert.Equal([4L, 6L], c.Sizes);
        Assert.Equal([1L, 4L], c.Strides[0]);

        // Against a contiguous destination the same two dims merge (both step through them as one), dim 0 stays.
        CollapsedShape joint = DescriptorBuilder.Collapse(new Shape(4, 2, 3), [1, 12, 4], [6, 3, 1]);
        Assert.Equal([4L, 6L], joint.Sizes);
        Assert.Equal([6L, 1L], joint.Strides[1]);

        // A transpose of the last two dims merges nothing.
        CollapsedShape transposed = DescriptorBuilder.Collapse(new Shape(2, 4, 3), [12, 1, 4], [12, 3, 1]);
        Assert.Equal([2L, 4L, 3L], transposed.Sizes);
    }

    [Fact]
    public void Scalar_IsOneElementOfStrideZero()
    {
        CollapsedShape c = DescriptorBuilder.Collapse(Shape.Scalar, Array.Empty<long>());
        Assert.Equal([1L], c.Sizes);
        Assert.Equal([0L], c.Strides[0]);
    }

    [Fact]
    public void Elementwise_AddressesIncludeTheOffset_AndDTypeIsTheEnumValue()
    {
        var host = new FakeKernelHost();
        TensorRef slice = host.Tensor(DType.BF16, [3, 4], [10, 1], 7);
        TensorRef dst = host.Tensor(DType.F32, [3, 4]);
        TensorDescriptor[] d = DescriptorBuilder.Elementwise(host, slice, dst);

        Assert.Equal(host.Address(new TensorRef(slice.Storage, new Layout(new Shape(1)), DType.BF16)) + (7 * 2), d[0].Address);
        Assert.Equal((int)DType.BF16, d[0].DType);
        Assert.Equal((int)DType.F32, d[1].DType);
        Assert.Equal(2, d[0].Rank);
        Assert.Equal([3L, 4L, 0, 0, 0, 0, 0, 0], ((ReadOnlySpan<long>)d[0].Sizes).ToArray());
        Assert.Equal([10L, 1L, 0, 0, 0, 0, 0, 0], ((ReadOnlySpan<long>)d[0].Strides).ToArray());
        Assert.Equal([4L, 1L], ((ReadOnlySpan<long>)d[1].Strides)[..2].ToArray());
    }

    [Fact]
    public void Rows_DescribeTheOuterDimensions_AndLeaveTheRowOut()
    {
        var host = new FakeKernelHost();
        // x [2, 5, 64] with a [2, 1, 64] scale broadcast over tokens: the rows of x collapse to [10], the scale's do not.
        TensorRef x = host.Tensor(DType.F32, [2, 5, 64]);
        TensorRef scale = host.Tensor(DType.F32, [2, 5, 64], [64, 0, 1]);
        TensorDescriptor[] d = DescriptorBuilder.Rows(host, x, scale);
        Assert.Equal(2, d[0].Rank);
        Assert.Equal([2L, 5L], ((ReadOnlySpan<long>)d[0].Sizes)[..2].ToArray());
        Assert.Equal([320L, 64L], ((ReadOnlySpan<long>)d[0].Strides)[..2].ToArray());
        Assert.Equal([64L, 0L], ((ReadOnlySpan<long>)d[1].Strides)[..2].ToArray());

        TensorDescriptor[] alone = DescriptorBuilder.Rows(host, x);
        Assert.Equal(1, alone[0].Rank);
        Assert.Equal(10L, alone[0].Sizes[0]);
        Assert.Equal(64L, alone[0].Strides[0]);
    }

    [Fact]
    public void Rows_OfAVector_IsOneRow()
    {
        var host = new FakeKernelHost();
        TensorDescriptor[] d = DescriptorBuilder.Rows(host, host.Tensor(DType.F32, [17]));
        Assert.Equal(1, d[0].Rank);
        Assert.Equal(1L, d[0].Sizes[0]);
    }

    [Fact]
    public void Exact_KeepsEveryDimension()
    {
        var host = new FakeKernelHost();
        TensorDescriptor d = DescriptorBuilder.Exact(host, host.Tensor(DType.F16, [1, 2, 3, 4]));
        Assert.Equal(4, d.Rank);
        Assert.Equal([1L, 2L, 3L, 4L], ((ReadOnlySpan<long>)d.Sizes)[..4].ToArray());
        Assert.Equal([24L, 12L, 4L, 1L], ((ReadOnlySpan<long>)d.Strides)[..4].ToArray());
    }

    [Fact]
    public void UncollapsibleRankEight_Fits_ButNineDimensionsAreRejected()
    {
        // No neighbours step as one: all 8 dimensions survive collapsing and still fit.
        CollapsedShape c = DescriptorBuilder.Collapse(new Shape(2, 2, 2, 2, 2, 2, 2, 2), [3, 5, 7, 11, 13, 17, 19, 23]);
        Assert.Equal(8, c.Rank);

        // Runs that do step as one merge: strides 8, 4, 2, 1 become one dimension of 16.
        CollapsedShape partly = DescriptorBuilder.Collapse(new Shape(2, 2, 2, 2, 2, 2, 2, 2), [256, 64, 32, 8, 4, 2, 1, 128]);
        Assert.Equal([2L, 4L, 16L, 2L], partly.Sizes);
        Assert.Equal([256L, 32L, 1L, 128L], partly.Strides[0]);

        var e = Assert.Throws<NotSupportedException>(() => DescriptorBuilder.Describe(1, DType.F32, new long[9], new long[9]));
        Assert.Contains("at most 8", e.Message, StringComparison.Ordinal);
    }
}
