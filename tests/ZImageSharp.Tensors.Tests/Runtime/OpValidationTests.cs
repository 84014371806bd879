using ZImageSharp.Cpu;
using ZImageSharp.Tensors;

namespace ZImageSharp.Tensors.Tests.Runtime;

/// <summary>Ops reject bad arguments before any kernel runs, with messages naming the op and the shapes.</summary>
public sealed class OpValidationTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;

    [Fact]
    public void MatMul_InnerSizeMismatch()
    {
        using Tensor a = Tensor.Zeros(Cpu, new Shape(2, 3));
        using Tensor b = Tensor.Zeros(Cpu, new Shape(4, 5));
        var e = Assert.Throws<ShapeMismatchException>(() => ZImageSharp.Tensors.Ops.MatMul(a, b));
        Assert.Equal("matmul", e.Op);
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[4, 5]", e.Message);
    }

    [Fact]
    public void Linear_FeatureMismatch()
    {
        using Tensor x = Tensor.Zeros(Cpu, new Shape(7, 16));
        using Tensor w = Tensor.Zeros(Cpu, new Shape(8, 32));
        var e = Assert.Throws<ShapeMismatchException>(() => ZImageSharp.Tensors.Ops.Linear(x, w));
        Assert.Contains("16 features", e.Message);
    }

    [Fact]
    public void DifferentBackends_AreRejected()
    {
        var other = new CpuBackend(threads: 1);
        using Tensor a = Tensor.Zeros(Cpu, new Shape(2));
        using Tensor b = Tensor.Zeros(other, new Shape(2));
        var e = Assert.Throws<TensorOpException>(() => ZImageSharp.Tensors.Ops.Copy(a, b));
        Assert.Contains("copy", e.Message);
    }

    [Fact]
    public void IntegerInputs_ToMathOps_AreRejected()
    {
        using Tensor a = Tensor.From<int>(Cpu, [1, 2]);
        var e = Assert.Throws<TensorOpException>(() => ZImageSharp.Tensors.Ops.Silu(a));
        Assert.Contains("I32", e.Message);
    }

    [Fact]
    public void ReadOnlyDestination_IsRejected()
    {
        float[] data = [1, 2, 3];
        unsafe
        {
            fixed (float* p = data)
            {
                Storage storage = Cpu.WrapHostMemory((nint)p, 12, owner: null, isReadOnly: true);
                using Tensor weight = Tensor.FromStorage(storage, new Layout(new Shape(3)), DType.F32);
                Assert.Equal(data, weight.ToArray<float>());
                var e = Assert.Throws<TensorOpException>(() => ZImageSharp.Tensors.Ops.Fill(weight, 0));
                Assert.Contains("read-only", e.Message);
            }
        }
    }

    [Fact]
    public void Attention_HeadMismatch()
    {
        using Tensor q = Tensor.Zeros(Cpu, new Shape(1, 6, 4, 8));
        using Tensor k = Tensor.Zeros(Cpu, new Shape(1, 4, 4, 8));
        var e = Assert.Throws<ShapeMismatchException>(() => ZImageSharp.Tensors.Ops.Attention(q, k, k));
        Assert.Contains("6 query heads", e.Message);
    }

    [Fact]
    public void Rope_TableShapeMismatch()
    {
        using Tensor x = Tensor.Zeros(Cpu, new Shape(1, 5, 2, 8));
        using Tensor c = Tensor.Zeros(Cpu, new Shape(1, 5, 8));
        var e = Assert.Throws<ShapeMismatchException>(() => ZImageSharp.Tensors.Ops.Rope(x, c, c, RopeLayout.Interleaved));
        Assert.Contains("[1 or 1, 5, 4]", e.Message);
    }

    [Fact]
    public void Conv2d_ChannelMismatch()
    {
        using Tensor x = Tensor.Zeros(Cpu, new Shape(1, 3, 8, 8));
        using Tensor w = Tensor.Zeros(Cpu, new Shape(4, 2, 3, 3));
        var e = Assert.Throws<ShapeMismatchException>(() => ZImageSharp.Tensors.Ops.Conv2d(x, w, null, Conv2dParams.Symmetric(1, 1)));
        Assert.Contains("3 channels", e.Message);
    }

    [Fact]
    public void GroupNorm_GroupsMustDivideChannels()
    {
        using Tensor x = Tensor.Zeros(Cpu, new Shape(1, 6, 2, 2));
        Assert.Throws<ShapeMismatchException>(() => ZImageSharp.Tensors.Ops.GroupNorm(x, 4, null, null, 1e-6f));
    }
}
