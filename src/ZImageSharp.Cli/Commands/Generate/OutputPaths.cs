namespace ZImageSharp.Cli.Commands.Generate;

/// <summary>
/// Where the images go: <c>--out fox.png</c> for one image, <c>fox-1.png … fox-N.png</c> for several, and
/// <c>zimage-SEED.png</c> without <c>--out</c>. Checked (and the folder created) before any model work starts, so a
/// typo in the path does not cost a generation.
/// </summary>
internal static class OutputPaths
{
    /// <summary>The file for each image.</summary>
    /// <exception cref="UsageException">When the name does not end in .png.</exception>
    public static IReadOnlyList<string> For(string? output, ulong seed, int count)
    {
        string path = string.IsNullOrWhiteSpace(output) ? $"zimage-{seed}.png" : output;
        if (Directory.Exists(path))
        {
            path = Path.Combine(path, $"zimage-{seed}.png");
        }

        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"--out {path}: images are written as PNG; give a file name ending in .png (or a folder).");
        }

        if (count == 1)
        {
            return [Path.GetFullPath(path)];
        }

        string stem = path[..^4];
        string extension = path[^4..];
        return [.. Enumerable.Range(1, count).Select(i => Path.GetFullPath($"{stem}-{i}{extension}"))];
    }

    /// <summary>Creates the folders of <paramref name="paths"/>, so an unwritable location fails now rather than after the run.</summary>
    /// <exception cref="IOException">When a folder cannot be created (the message names it).</exception>
    public static void Prepare(IReadOnlyList<string> paths)
    {
        foreach (string folder in paths.Select(Path.GetDirectoryName).Distinct(StringComparer.Ordinal).OfType<string>())
        {
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"--out: cannot create the folder {folder}: {e.Message}", e);
            }
        }
    }
}
