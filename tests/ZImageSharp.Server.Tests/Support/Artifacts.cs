namespace ZImageSharp.Server.Tests.Support;

/// <summary>The repository's git-ignored <c>artifacts/</c> folder, where CI collects files such as screenshots.</summary>
internal static class Artifacts
{
    /// <summary>The folder (created), found by walking up from the test binary to the solution file.</summary>
    public static string Folder
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ZImageSharp.slnx")))
                {
                    return Directory.CreateDirectory(Path.Combine(dir.FullName, "artifacts")).FullName;
                }
            }

            throw new InvalidOperationException($"no ZImageSharp.slnx above {AppContext.BaseDirectory}.");
        }
    }
}
