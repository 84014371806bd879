namespace ZImageSharp.Tensors;

/// <summary>Base type of the exceptions ZImageSharp throws for its own error conditions.</summary>
public class ZImageException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public ZImageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public ZImageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
