namespace ZImageSharp.Server;

/// <summary>The server cannot start with these options (e.g. a public address without an API key); the message names the option.</summary>
public sealed class ServerOptionsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ServerOptionsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public ServerOptionsException()
    {
    }

    /// <summary>Creates the exception wrapping <paramref name="innerException"/>.</summary>
    public ServerOptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
