using ZImageSharp.Tensors;

namespace ZImageSharp.Tensors.Tests.Runtime;

public sealed class ShapeTests
{
    [Fact]
    public void Basics()
    {
        var s = new Shape(2, 3, 4);
        Assert.Equal(3, s.Rank);
        Assert.Equal(24, s.ElementCount);
        Assert.Equal(4, s[-1]);
        Assert.Equal("[2, 3, 4]", s.ToString());
        Assert.Equal(new Shape(2, 3, 4), s);
        Assert.NotEqual(new Shape(2, 3), s);
        Assert.Equal(1, Shape.Scalar.ElementCount);
        Assert.Equal(0, new Shape(3, 0).ElementCount);
        Assert.Equal(new Shape(2, 7, 4), s.With(1, 7));
    }

    [Fact]
    public void InvalidDims_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => new Shape(2, -1));
        Assert.Throws<ArgumentException>(() => new Shape(1, 1, 1, 1, 1, 1, 1, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Shape(2, 3)[2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Shape(2, 3)[-3]);
    }

    [Theory]
    [InlineData(new[] { 3, 1 }, new[] { 4 }, new[] { 3, 4 })]
    [InlineData(new[] { 2, 1, 5 }, new[] { 7, 1 }, new[] { 2, 7, 5 })]
    [InlineData(new int[0], new[] { 2, 2 }, new[] { 2, 2 })]
    [InlineData(new[] { 1 }, new[] { 0 }, new[] { 0 })]
    public void Broadcast_FollowsNumPyRules(int[] a, int[] b, int[] expected)
        => Assert.Equal(new Shape(expected), Shape.Broadcast(new Shape(a), new Shape(b), "test"));

    [Fact]
    public void Broadcast_Incompatible_NamesOpAndShapes()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Shape.Broadcast(new Shape(2, 3), new Shape(4, 3), "add"));
        Assert.Contains("add", e.Message);
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[4, 3]", e.Message);
    }
}
