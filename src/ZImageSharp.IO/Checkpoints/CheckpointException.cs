using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Checkpoints;

/// <summary>
/// A checkpoint could not be used: a file is missing or unreadable, a shard index is inconsistent, or a tensor is
/// absent or has the wrong shape. The message names the file, the tensor when there is one, and the problem.
/// </summary>
public class CheckpointException : ZImageException
{
    /// <summary>Creates the exception; the message reads "<paramref name="filePath"/>: tensor 'name': <paramref name="problem"/>".</summary>
    /// <param name="filePath">The file (or folder) the problem was found in.</param>
    /// <param name="tensorName">The tensor concerned, or null when the problem is not about one tensor.</param>
    /// <param name="problem">What is wrong, as one sentence without the file name.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public CheckpointException(string filePath, string? tensorName, string problem, Exception? innerException = null)
        : this(filePath, tensorName, problem, null, innerException)
    {
    }

    /// <summary>Creates the exception with a qualifier inserted after the file name (used by subclasses).</summary>
    private protected CheckpointException(string filePath, string? tensorName, string problem, string? qualifier, Exception? innerException)
        : base(Describe(filePath, tensorName, problem, qualifier), innerException)
    {
        FilePath = filePath;
        TensorName = tensorName;
        Problem = problem;
    }

    /// <summary>The file (or folder) the problem was found in.</summary>
    public string FilePath { get; }

    /// <summary>The tensor concerned, or null.</summary>
    public string? TensorName { get; }

    /// <summary>The problem without the file and tensor names.</summary>
    public string Problem { get; }

    private static string Describe(string filePath, string? tensorName, string problem, string? qualifier)
    {
        string text = qualifier is null ? $"{filePath}: " : $"{filePath}: {qualifier}: ";
        if (tensorName is not null)
        {
            text += $"tensor '{tensorName}': ";
        }

        return text + problem;
    }
}
