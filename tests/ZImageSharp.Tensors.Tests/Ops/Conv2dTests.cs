using ZImageSharp.Cpu;
using ZImageSharp.Tensors;
using ZImageSharp.Testing;

namespace ZImageSharp.Tensors.Tests.Ops;

public sealed class Conv2dTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;

    /// <summary>(batch, cin, cout, h, w, kernel, stride, padTop, padBottom, padLeft, padRight).</summary>
    public static TheoryData<int, int, int, int, int, int, int, int, int, int, int> Cases() => new()
    {
        { 1, 3, 5, 9, 11, 3, 1, 1, 1, 1, 1 },       // 3×3, pad 1, odd channel counts
        { 2, 7, 13, 6, 37, 3, 1, 1, 1, 1, 1 },      // rows wider than a panel: pixel runs cross panel edges
        { 1, 17, 9, 8, 8, 1, 1, 0, 0, 0, 0 },       // 1×1: the plain-matrix path
        { 2, 5, 3, 9, 9, 1, 2, 0, 0, 0, 0 },        // 1×1 stride 2: im2col path
        { 1, 6, 10, 10, 13, 3, 2, 0, 1, 0, 1 },     // VAE downsample: stride 2, pad (0, 1, 0, 1)
        { 1, 4, 5, 5, 5, 3, 1, 0, 0, 0, 0 },        // no padding
        { 1, 2, 3, 4, 7, 3, 1, 2, 0, 1, 3 },        // asymmetric, wide padding
        { 1, 30, 200, 6, 7, 3, 1, 1, 1, 1, 1 },     // Cout > MC (shared-slice plan), K = 270 > KC
        { 1, 2, 200, 99, 99, 3, 2, 0, 1, 0, 1 },    // shared plan, tiny K: slice groups wider than one packing pass
        { 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0 },
        { 1, 3, 2, 12, 1, 3, 1, 1, 1, 1, 1 },       // one-column image
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Conv2d_F32_MatchesNaive(int n, int cin, int cout, int h, int w, int kernel, int stride, int pt, int pb, int pl, int pr)
    {
        var p = new Conv2dParams(stride, pt, pb, pl, pr);
        using Tensor x = TestData.Random(Cpu, new Shape(n, cin, h, w), DType.F32, seed: cin);
        using Tensor weight = TestData.Random(Cpu, new Shape(cout, cin, kernel, kernel), DType.F32, seed: cout, scale: 1f / MathF.Sqrt(cin * kernel * kernel));
        using Tensor bias = TestData.Random(Cpu, new Shape(cout), DType.F32, seed: 3);
        using Tensor y = ZImageSharp.Tensors.Ops.Conv2d(x, weight, bias, p);
        var expected = NaiveOps.Conv2d(HostTensor.FromTensor(x), HostTensor.FromTensor(weight), HostTensor.FromTensor(bias), p);
        TensorAssert.Close(expected, y, Tolerances.Product(DType.F32));
    }

    [Theory]
    [InlineData(DType.BF16, DType.BF16)]
    [InlineData(DType.F16, DType.F16)]
    [InlineData(DType.BF16, DType.F32)]
    [InlineData(DType.F32, DType.BF16)]
    public void Conv2d_DTypes_MatchNaive(DType xType, DType wType)
    {
        var p = Conv2dParams.Symmetric(1, 1);
        using Tensor x = TestData.Random(Cpu, new Shape(1, 9, 7, 10), xType, seed: 1);
        using Tensor weight = TestData.Random(Cpu, new Shape(11, 9, 3, 3), wType, seed: 2, scale: 0.1f);
        using Tensor bias = TestData.Random(Cpu, new Shape(11), wType, seed: 3);
        using Tensor y = ZImageSharp.Tensors.Ops.Conv2d(x, weight, bias, p);
        Assert.Equal(xType, y.DType);
        var expected = NaiveOps.Conv2d(HostTensor.FromTensor(x), HostTensor.FromTensor(weight), HostTensor.FromTensor(bias), p);
        TensorAssert.Close(expected, y, Tolerances.Product(xType));
    }

    [Fact]
    public void Conv2d_NoBias_StridedInputView_MatchesNaive()
    {
        // A non-contiguous input (a channel slice) is packed by Ops before the kernel.
        using Tensor wide = TestData.Random(Cpu, new Shape(1, 8, 6, 6), DType.F32, seed: 4);
        using Tensor x = wide.Narrow(1, 2, 5);
        using Tensor weight = TestData.Random(Cpu, new Shape(4, 5, 3, 3), DType.F32, seed: 5, scale: 0.2f);
        var p = new Conv2dParams(2, 0, 1, 0, 1);
        using Tensor y = ZImageSharp.Tensors.Ops.Conv2d(x, weight, null, p);
        TensorAssert.Close(NaiveOps.Conv2d(HostTensor.FromTensor(x), HostTensor.FromTensor(weight), null, p), y, Tolerances.Product(DType.F32));
    }

    [Fact]
    public void Kernel_DirectCall_WritesOnlyItsDestination()
    {
        var p = Conv2dParams.Symmetric(1, 1);
        using Tensor x = TestData.Random(Cpu, new Shape(2, 3, 5, 6), DType.BF16, seed: 6);
        using Tensor weight = TestData.Random(Cpu, new Shape(4, 3, 3, 3), DType.F32, seed: 7, scale: 0.3f);
        using Tensor bias = TestData.Random(Cpu, new Shape(4), DType.F32, seed: 8);
        using var guarded = GuardedOutput.Create(Cpu, new Shape(2, 4, 5, 6), DType.BF16);
        Cpu.Kernels.Conv2d(x.ToRef(), weight.ToRef(), bias.ToRef(), p, guarded.Destination.ToRef());
        guarded.AssertGuardsIntact();
        var expected = NaiveOps.Conv2d(HostTensor.FromTensor(x), HostTensor.FromTensor(weight), HostTensor.FromTensor(bias), p);
        TensorAssert.Close(expected, guarded.Destination, Tolerances.Product(DType.BF16));
    }
}
