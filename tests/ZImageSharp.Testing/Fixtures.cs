namespace ZImageSharp.Testing;

/// <summary>
/// Golden fixtures from the reference implementation: <c>$ZIMAGE_FIXTURES</c> when set, else <c>../shared/fixtures</c>
/// beside the repository. Tests only read the documented layout under that folder, so another fixture set of the
/// same layout can be swapped in.
/// </summary>
public static class Fixtures
{
    /// <summary>The environment variable that overrides the fixture folder.</summary>
    public const string EnvironmentVariable = "ZIMAGE_FIXTURES";

    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The fixture folder (it may not exist; <see cref="Path"/> then fails with a clear message).</summary>
    public static string Root => s_root.Value;

    /// <summary>A file or folder under the fixture root; throws a message naming the root when it is missing.</summary>
    public static string Path(params string[] parts)
    {
        string path = System.IO.Path.Combine([Root, .. parts]);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException(
                $"Fixture '{string.Join('/', parts)}' not found under '{Root}'. Set {EnvironmentVariable} to the fixture folder " +
                "(default: ../shared/fixtures next to the repository).",
                path);
        }

        return path;
    }

    private static string FindRoot()
    {
        string? fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return System.IO.Path.GetFullPath(fromEnv);
        }

        return System.IO.Path.GetFullPath(System.IO.Path.Combine(Repository.Root, "..", "shared", "fixtures"));
    }
}
