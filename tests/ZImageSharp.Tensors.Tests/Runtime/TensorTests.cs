using ZImageSharp.Cpu;
using ZImageSharp.Tensors;

namespace ZImageSharp.Tensors.Tests.Runtime;

public sealed class TensorTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;

    [Fact]
    public void FromAndToArray_RoundTrip()
    {
        float[] values = [1, 2, 3, 4, 5, 6];
        using Tensor t = Tensor.From<float>(Cpu, values, 2, 3);
        Assert.Equal(new Shape(2, 3), t.Shape);
        Assert.Equal(DType.F32, t.DType);
        Assert.Equal(values, t.ToArray<float>());
        Assert.Throws<TensorOpException>(() => t.ToArray<int>());
        Assert.Throws<ShapeMismatchException>(() => Tensor.From<float>(Cpu, values, 4, 2));
    }

    [Fact]
    public void Views_ShareStorage_WithoutCopying()
    {
        using Tensor t = Tensor.From<float>(Cpu, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 3, 4);
        using Tensor row = t.Select(0, 1);
        using Tensor col = t.Narrow(1, 2, 1);
        using Tensor tr = t.TransposeLast();
        Assert.Equal(new float[] { 4, 5, 6, 7 }, row.ToArray<float>());
        Assert.Equal(new float[] { 2, 6, 10 }, col.ToArray<float>());
        Assert.Equal(new float[] { 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 }, tr.ToArray<float>());

        ZImageSharp.Tensors.Ops.Fill(row, -1);
        Assert.Equal(-1f, t.ToArray<float>()[5]);
        Assert.Equal(-1f, tr.ToArray<float>()[4]);
    }

    [Fact]
    public void Reshape_CopiesOnlyWhenAViewIsImpossible()
    {
        using Tensor t = Tensor.From<float>(Cpu, [0, 1, 2, 3, 4, 5], 2, 3);
        using Tensor flatView = t.Reshape(-1);
        ZImageSharp.Tensors.Ops.Fill(flatView.Narrow(0, 0, 1), 9);
        Assert.Equal(9f, t.ToArray<float>()[0]);

        using Tensor tr = t.TransposeLast();
        Assert.Throws<ShapeMismatchException>(() => tr.View(6));
        using Tensor flatCopy = tr.Reshape(6);
        Assert.Equal(new float[] { 9, 3, 1, 4, 2, 5 }, flatCopy.ToArray<float>());
        ZImageSharp.Tensors.Ops.Fill(flatCopy, 0);
        Assert.Equal(9f, t.ToArray<float>()[0]);
    }

    [Fact]
    public void Chunk_Split_Flatten()
    {
        using Tensor t = Tensor.From<float>(Cpu, Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), 2, 3, 4);
        Tensor[] chunks = t.Chunk(2, -1);
        Assert.Equal(new float[] { 2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23 }, chunks[1].ToArray<float>());
        Tensor[] parts = t.Split([1, 2], 1);
        Assert.Equal(new Shape(2, 2, 4), parts[1].Shape);
        using Tensor flat = t.Flatten(1);
        Assert.Equal(new Shape(2, 12), flat.Shape);
        Assert.Throws<ShapeMismatchException>(() => t.Chunk(3, -1));
        foreach (Tensor c in chunks.Concat(parts))
        {
            c.Dispose();
        }
    }

    [Fact]
    public void DisposingTheOwner_KeepsViewsValid()
    {
        Tensor t = Tensor.From<float>(Cpu, [1, 2, 3, 4], 2, 2);
        Tensor view = t.Select(0, 1);
        Storage storage = t.ToRef().Storage;
        t.Dispose();
        Assert.True(t.IsDisposed);
        Assert.False(storage.IsReleased);
        Assert.Equal(new float[] { 3, 4 }, view.ToArray<float>());
        view.Dispose();
        Assert.True(storage.IsReleased);
        Assert.Throws<ObjectDisposedException>(() => t.ToArray<float>());
        view.Dispose();
    }

    [Fact]
    public void AsStrided_BeyondStorage_IsRejected()
    {
        using Tensor t = Tensor.Zeros(Cpu, new Shape(4));
        Assert.Throws<ArgumentException>(() => t.AsStrided(new Layout(new Shape(5))));
        using Tensor ok = t.AsStrided(new Layout(new Shape(2), 2));
        Assert.Equal(2, ok.ElementCount);
    }

    [Fact]
    public void To_SameBackend_IsAView()
    {
        using Tensor t = Tensor.From<int>(Cpu, [1, 2, 3]);
        using Tensor same = t.To(Cpu);
        Assert.Same(t.ToRef().Storage, same.ToRef().Storage);
        var other = new CpuBackend(threads: 1);
        using Tensor moved = t.To(other);
        Assert.Same(other, moved.Backend);
        Assert.Equal(new[] { 1, 2, 3 }, moved.ToArray<int>());
    }
}
