using ZImageSharp.Tensors;

namespace ZImageSharp.Tensors.Tests.Runtime;

public sealed class LayoutTests
{
    [Fact]
    public void Contiguous_HasRowMajorStrides()
    {
        var l = new Layout(new Shape(2, 3, 4));
        Assert.Equal(new long[] { 12, 4, 1 }, l.Strides.ToArray());
        Assert.True(l.IsContiguous);
        Assert.Equal(24, l.End);
    }

    [Fact]
    public void Permute_Narrow_Unsqueeze_Squeeze()
    {
        var l = new Layout(new Shape(2, 3, 4));
        Layout p = l.Permute([2, 0, 1]);
        Assert.Equal(new Shape(4, 2, 3), p.Shape);
        Assert.Equal(new long[] { 1, 12, 4 }, p.Strides.ToArray());
        Assert.False(p.IsContiguous);

        Layout n = l.Narrow(1, 1, 2);
        Assert.Equal(4, n.Offset);
        Assert.Equal(new Shape(2, 2, 4), n.Shape);
        Assert.False(n.IsContiguous);
        Assert.Equal(4 + 12 + 4 + 3 + 1, n.End);

        Layout u = l.Unsqueeze(1);
        Assert.Equal(new Shape(2, 1, 3, 4), u.Shape);
        Assert.True(u.IsContiguous);
        Assert.Equal(l, u.Squeeze(1));

        Layout last = l.Unsqueeze(-1);
        Assert.Equal(new Shape(2, 3, 4, 1), last.Shape);
    }

    [Fact]
    public void Select_RemovesDimensionAndMovesOffset()
    {
        var l = new Layout(new Shape(2, 3, 4));
        Layout s = l.Select(1, 2);
        Assert.Equal(new Shape(2, 4), s.Shape);
        Assert.Equal(8, s.Offset);
        Assert.Equal(new long[] { 12, 1 }, s.Strides.ToArray());
    }

    [Fact]
    public void BroadcastTo_StretchesWithZeroStrides()
    {
        var l = new Layout(new Shape(3, 1));
        Layout b = l.BroadcastTo(new Shape(2, 3, 5));
        Assert.Equal(new long[] { 0, 1, 0 }, b.Strides.ToArray());
        Assert.Throws<ShapeMismatchException>(() => l.BroadcastTo(new Shape(4, 5)));
    }

    [Fact]
    public void TryReshape_ViewsWhenStridesAllow()
    {
        // A narrowed last dimension: leading dims can merge, the narrowed one cannot merge with them.
        var l = new Layout(new Shape(2, 3, 8)).Narrow(2, 0, 4);
        Assert.True(l.TryReshape(new Shape(2, 3, 2, 2), out Layout split));
        Assert.Equal(new long[] { 24, 8, 2, 1 }, split.Strides.ToArray());
        Assert.True(l.TryReshape(new Shape(6, 4), out Layout merged));
        Assert.Equal(new long[] { 8, 1 }, merged.Strides.ToArray());
        Assert.False(l.TryReshape(new Shape(24), out _));

        // A transpose cannot be flattened without a copy, but splitting a dimension works.
        Layout t = new Layout(new Shape(4, 6)).Transpose(0, 1);
        Assert.False(t.TryReshape(new Shape(24), out _));
        Assert.True(t.TryReshape(new Shape(2, 3, 4), out Layout t3));
        Assert.Equal(new long[] { 3, 1, 6 }, t3.Strides.ToArray());

        Assert.Throws<ShapeMismatchException>(() => l.TryReshape(new Shape(5), out _));
    }

    [Fact]
    public void InvalidViews_NameTheOp()
    {
        var l = new Layout(new Shape(2, 3));
        Assert.Contains("narrow", Assert.Throws<ShapeMismatchException>(() => l.Narrow(1, 2, 2)).Message);
        Assert.Contains("squeeze", Assert.Throws<ShapeMismatchException>(() => l.Squeeze(0)).Message);
        Assert.Contains("permute", Assert.Throws<ShapeMismatchException>(() => l.Permute([0, 0])).Message);
        Assert.Contains("select", Assert.Throws<ShapeMismatchException>(() => l.Select(0, 2)).Message);
    }
}
