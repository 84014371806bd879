namespace ZImageSharp.Tensors;

/// <summary>An op was given tensors whose shapes do not fit together; the message names the op and the shapes.</summary>
public sealed class ShapeMismatchException : TensorOpException
{
    /// <summary>Creates the exception; the message reads "<paramref name="op"/>: <paramref name="detail"/>".</summary>
    public ShapeMismatchException(string op, string detail)
        : base(op, detail)
    {
    }
}
