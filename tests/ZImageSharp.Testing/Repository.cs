namespace ZImageSharp.Testing;

/// <summary>Locates the repository checkout the tests run from.</summary>
public static class Repository
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The folder holding ZImageSharp.slnx.</summary>
    public static string Root => s_root.Value;

    /// <summary>A path under the repository root.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ZImageSharp.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ZImageSharp.slnx not found above {AppContext.BaseDirectory}.");
    }
}
