namespace ZImageSharp.Cuda;

/// <summary>
/// CUDA cannot be used on this machine: no driver library, no NVIDIA GPU, no NVRTC, an unsupported GPU. The message
/// is one sentence a user can act on (what is missing, where it was looked for).
/// </summary>
public sealed class CudaUnavailableException : Exception
{
    /// <summary>Creates the exception with a user-facing reason.</summary>
    public CudaUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a user-facing reason and the underlying failure.</summary>
    public CudaUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
