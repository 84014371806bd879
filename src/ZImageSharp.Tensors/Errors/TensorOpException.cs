namespace ZImageSharp.Tensors;

/// <summary>An op was given tensors it cannot combine (dtypes, devices, layouts); the message names the op.</summary>
public class TensorOpException : ZImageException
{
    /// <summary>Creates the exception; the message reads "<paramref name="op"/>: <paramref name="detail"/>".</summary>
    public TensorOpException(string op, string detail)
        : base($"{op}: {detail}")
    {
        Op = op;
    }

    /// <summary>The op that rejected its inputs.</summary>
    public string Op { get; }
}
