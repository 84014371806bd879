using ZImageSharp.IO.Checkpoints;

namespace ZImageSharp.IO.Safetensors;

/// <summary>
/// A file is not a valid safetensors file (bad header, inconsistent offsets, truncated data, ...). The message reads
/// "<c>path: invalid safetensors file: tensor 'name': problem</c>".
/// </summary>
public sealed class SafetensorsFormatException : CheckpointException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The file.</param>
    /// <param name="tensorName">The tensor whose header entry is wrong, or null for a file-level problem.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="innerException">The underlying failure (e.g. a JSON error), if any.</param>
    public SafetensorsFormatException(string filePath, string? tensorName, string problem, Exception? innerException = null)
        : base(filePath, tensorName, problem, "invalid safetensors file", innerException)
    {
    }
}
