namespace ZImageSharp.Pipelines;

/// <summary>
/// The denoising loop produced NaN or infinite latents, so no image was decoded: a numerical failure (overflow in a
/// reduced-precision backend, a broken checkpoint, an extreme guidance scale), not a malformed request.
/// </summary>
public sealed class NonFiniteLatentsException : Exception
{
    /// <summary>Creates the exception with a message for the user.</summary>
    public NonFiniteLatentsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the default message.</summary>
    public NonFiniteLatentsException()
        : this("The denoising produced non-finite values (NaN or infinity); no image was decoded.")
    {
    }

    /// <summary>Creates the exception wrapping <paramref name="innerException"/>.</summary>
    public NonFiniteLatentsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
