using ZImageSharp.Cuda.Kernels;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Tests.Kernels;

/// <summary>What the dispatch packs for a launch: the values the kernels rely on (counts, bit patterns, tile choices).</summary>
public sealed class CudaKernelsDispatchTests
{
    [Theory]
    [InlineData(DType.F32, 1.5, 0x3FC00000UL)]
    [InlineData(DType.BF16, 1.0, 0x3F80UL)]
    [InlineData(DType.BF16, 1.00390625, 0x3F80UL)] // halfway between 1 and the next bf16: ties to even
    [InlineData(DType.F16, -2.0, 0xC000UL)]
    [InlineData(DType.I32, -3.7, 0xFFFFFFFDUL)] // truncates toward zero: −3
    [InlineData(DType.I64, 1e30, 0x7FFFFFFFFFFFFFFFUL)] // saturates
    [InlineData(DType.U8, 300.0, 255UL)]
    [InlineData(DType.U8, double.NaN, 0UL)]
    public void Fill_PassesTheValueAsTheDestinationsBitPattern(DType dtype, double value, ulong bits)
    {
        var host = new FakeKernelHost();
        host.Kernels.Fill(host.Tensor(dtype, [5]), value);
        RecordedLaunch launch = Assert.Single(host.Launches);
        Assert.Equal("zimage_fill", launch.Function);
        Assert.Equal(bits, launch.Value<ulong>(1));
        Assert.Equal(5L, launch.Value<long>(2));
    }

    [Fact]
    public void Copy_OfPackedTensors_IsOneDimensionWithTheElementCount()
    {
        var host = new FakeKernelHost();
        TensorRef src = host.Tensor(DType.F32, [4, 8, 2]);
        TensorRef dst = host.Tensor(DType.BF16, [4, 8, 2]);
        host.Kernels.Copy(src, dst);
        RecordedLaunch launch = Assert.Single(host.Launches);
        TensorDescriptor s = launch.Value<TensorDescriptor>(0);
        TensorDescriptor d = launch.Value<TensorDescriptor>(1);
        Assert.Equal(host.Address(src), s.Address);
        Assert.Equal(host.Address(dst), d.Address);
        Assert.Equal((1, 64L, 1L), (s.Rank, s.Sizes[0], s.Strides[0]));
        Assert.Equal((int)DType.BF16, d.DType);
        Assert.Equal(64L, launch.Value<long>(2));
        Assert.Equal(1u, launch.Grid.X);
    }

    [Fact]
    public void EmptyTensors_LaunchNothing()
    {
        var host = new FakeKernelHost();
        host.Kernels.Copy(host.Tensor(DType.F32, [0, 3]), host.Tensor(DType.F32, [0, 3]));
        host.Kernels.Unary(UnaryOp.Exp, host.Tensor(DType.F32, [0]), host.Tensor(DType.F32, [0]));
        host.Kernels.Softmax(host.Tensor(DType.F32, [0, 4]), host.Tensor(DType.F32, [0, 4]));
        Assert.Empty(host.Launches);
    }

    [Fact]
    public void ElementwiseGrid_IsCappedForGridStrideLoops()
    {
        var host = new FakeKernelHost();
        host.Kernels.Unary(UnaryOp.Silu, host.Tensor(DType.BF16, [1 << 28]), host.Tensor(DType.BF16, [1 << 28]));
        RecordedLaunch launch = Assert.Single(host.Launches);
        Assert.Equal(132u * 32, launch.Grid.X);
        Assert.Equal(256u, launch.Block.X);
        Assert.Equal(1L << 28, launch.Value<long>(3));
    }

    [Fact]
    public void RmsNormScaled_PassesAbsentOperandsAsAddressZero()
    {
        var host = new FakeKernelHost();
        host.Kernels.RmsNormScaled(host.Tensor(DType.F32, [3, 32]), null, 1e-6f, null, host.Tensor(DType.F32, [3, 32]), host.Tensor(DType.F32, [3, 32]));
        RecordedLaunch launch = Assert.Single(host.Launches);
        Assert.Equal(0UL, launch.Value<ulong>(1)); // weight
        Assert.Equal(0UL, launch.Value<TensorDescriptor>(3).Address); // scale
        Assert.NotEqual(0UL, launch.Value<TensorDescriptor>(4).Address); // residual
        Assert.Equal(3L, launch.Value<long>(6)); // rows
        Assert.Equal(32, launch.Value<int>(7)); // row length
        Assert.Equal((3u, 32u), (launch.Grid.X, launch.Block.X));
    }

    [Fact]
    public void GroupNorm_SplitsHugeGroupsIntoChunks_AndBothLaunchesShareTheGrid()
    {
        var host = new FakeKernelHost();
        host.Kernels.GroupNorm(host.Tensor(DType.BF16, [1, 128, 1 << 20]), 32, null, null, 1e-6f, host.Tensor(DType.BF16, [1, 128, 1 << 20]));
        Assert.Equal(["zimage_groupnorm_stats", "zimage_groupnorm_apply"], host.Launches.Select(l => l.Function));
        Assert.All(host.Launches, l => Assert.Equal((32u, 64u), (l.Grid.X, l.Grid.Y)));
        Assert.Equal(4L << 20, host.Launches[0].Value<long>(3)); // group length: 4 channels × 2^20
        Assert.Equal(host.Launches[0].Value<ulong>(2), host.Launches[1].Value<ulong>(8)); // the same partials buffer

        var small = new FakeKernelHost();
        small.Kernels.GroupNorm(small.Tensor(DType.F32, [2, 32, 64]), 8, null, null, 1e-6f, small.Tensor(DType.F32, [2, 32, 64]));
        Assert.Equal((16u, 1u), (small.Launches[0].Grid.X, small.Launches[0].Grid.Y));
    }

    [Theory]
    [InlineData(64, 64, 227 * 1024, 32)]
    [InlineData(128, 128, 227 * 1024, 8)]
    [InlineData(256, 256, 227 * 1024, 4)] // over 48 KiB: needs the host's opt-in
    public void Attention_PicksTheLargestQueryBlockThatFits(int d, int dv, int maxShared, int blockQ)
    {
        Assert.Equal(blockQ, CudaKernels.AttentionBlockQueries(d, dv, maxShared));
        Assert.True(CudaKernels.AttentionSharedBytes(blockQ, d, dv) <= maxShared);
    }

    [Fact]
    public void Attention_TooLargeForTheDevice_SaysSo()
    {
        var e = Assert.Throws<NotSupportedException>(() => CudaKernels.AttentionBlockQueries(1024, 1024, 100 * 1024));
        Assert.Contains("shared memory", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attention_OneBlockPerBatchHeadAndQueryBlock()
    {
        var host = new FakeKernelHost();
        host.Kernels.Attention(host.Tensor(DType.BF16, [2, 30, 100, 128]), host.Tensor(DType.BF16, [2, 6, 90, 128]), host.Tensor(DType.BF16, [2, 6, 90, 128]), null, true, 0.1f, host.Tensor(DType.BF16, [2, 30, 100, 128]));
        RecordedLaunch launch = Assert.Single(host.Launches);
        Assert.Equal(2u * 30 * 13, launch.Grid.X); // ⌈100 / 8⌉ = 13 query blocks
        Assert.Equal(128u, launch.Block.X);
        Assert.Equal(CudaKernels.AttentionSharedBytes(8, 128, 128), launch.SharedMemoryBytes);
        Assert.Equal(0UL, launch.Value<ulong>(3)); // no key mask
        Assert.Equal(1, launch.Value<int>(5)); // causal
        Assert.Equal(8, launch.Value<int>(7));
    }

    [Fact]
    public void Conv2d_TilesPixelsOnXAndChannelsOnY()
    {
        var host = new FakeKernelHost();
        host.Kernels.Conv2d(host.Tensor(DType.F32, [2, 3, 10, 10]), host.Tensor(DType.F32, [70, 3, 3, 3]), null, Conv2dParams.Symmetric(1, 1), host.Tensor(DType.F32, [2, 70, 10, 10]));
        RecordedLaunch launch = Assert.Single(host.Launches);
        Assert.Equal((4u, 2u), (launch.Grid.X, launch.Grid.Y)); // ⌈200 / 64⌉, ⌈70 / 64⌉
        Assert.Equal(256u, launch.Block.X);
    }

    [Fact]
    public void Supports_DataMovementForEveryDType_MathForFloats()
    {
        foreach (DType t in Enum.GetValues<DType>())
        {
            Assert.True(CudaKernels.Supports(OpKind.Copy, t));
            Assert.True(CudaKernels.Supports(OpKind.UpsampleNearest, t));
            Assert.Equal(t.IsFloatingPoint(), CudaKernels.Supports(OpKind.Attention, t));
            Assert.Equal(t.IsFloatingPoint(), CudaKernels.Supports(OpKind.RmsNormScaled, t));
        }
    }
}
