namespace ZImageSharp.Cuda.Discovery;

/// <summary>The few file-system questions library discovery asks, so tests can pose them against a fake tree.</summary>
internal interface IFileSystemView
{
    /// <summary>Whether the folder exists.</summary>
    bool DirectoryExists(string path);

    /// <summary>Full paths of the entries (files or links) directly in <paramref name="directory"/> whose names match
    /// <paramref name="pattern"/> (a <see cref="Directory.EnumerateFiles(string, string)"/> pattern); empty when the folder is missing.</summary>
    IEnumerable<string> Files(string directory, string pattern);

    /// <summary>Full paths of the sub-folders directly in <paramref name="directory"/> matching <paramref name="pattern"/>.</summary>
    IEnumerable<string> Directories(string directory, string pattern);

    /// <summary>An environment variable, or null.</summary>
    string? Environment(string name);
}

/// <summary>The real file system and process environment.</summary>
internal sealed class RealFileSystemView : IFileSystemView
{
    /// <summary>The one instance.</summary>
    public static RealFileSystemView Instance { get; } = new();

    /// <inheritdoc/>
    public bool DirectoryExists(string path) => Directory.Exists(path);

    /// <inheritdoc/>
    public IEnumerable<string> Files(string directory, string pattern)
    {
        try
        {
            return Directory.Exists(directory) ? Directory.EnumerateFiles(directory, pattern).ToArray() : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <inheritdoc/>
    public IEnumerable<string> Directories(string directory, string pattern)
    {
        try
        {
            return Directory.Exists(directory) ? Directory.EnumerateDirectories(directory, pattern).ToArray() : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <inheritdoc/>
    public string? Environment(string name) => System.Environment.GetEnvironmentVariable(name);
}
