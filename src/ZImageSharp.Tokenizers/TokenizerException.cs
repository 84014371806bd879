namespace ZImageSharp.Tokenizers;

/// <summary>A tokenizer file is missing a field, has a field of the wrong type, or uses an unsupported feature.</summary>
public sealed class TokenizerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TokenizerException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public TokenizerException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
