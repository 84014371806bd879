using ZImageSharp.Cpu;
using ZImageSharp.Tensors;

namespace ZImageSharp.Tensors.Tests.Runtime;

public sealed class TensorScopeTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;

    [Fact]
    public void Scope_DisposesTemporaries_AndKeepsReturnedTensor()
    {
        Tensor temp;
        Tensor kept;
        using (var scope = TensorScope.Begin())
        {
            temp = Tensor.Zeros(Cpu, new Shape(3));
            kept = scope.Keep(Tensor.Ones(Cpu, new Shape(3)));
            Assert.Equal(1, scope.Count);
        }

        Assert.True(temp.IsDisposed);
        Assert.False(kept.IsDisposed);
        Assert.Null(kept.Scope);
        kept.Dispose();
    }

    [Fact]
    public void NestedScopes_KeepMovesToParent()
    {
        Tensor inner;
        using (var outer = TensorScope.Begin())
        {
            using (var nested = TensorScope.Begin())
            {
                inner = nested.Keep(Tensor.Zeros(Cpu, new Shape(2)));
            }

            Assert.False(inner.IsDisposed);
            Assert.Same(outer, inner.Scope);
            Assert.Same(outer, TensorScope.Current);
        }

        Assert.True(inner.IsDisposed);
        Assert.Null(TensorScope.Current);
    }

    [Fact]
    public void Suspend_CreatesUnscopedTensors()
    {
        Tensor free;
        using (TensorScope.Begin())
        {
            using (TensorScope.Suspend())
            {
                free = Tensor.Zeros(Cpu, new Shape(2));
            }
        }

        Assert.False(free.IsDisposed);
        free.Dispose();
    }
}
