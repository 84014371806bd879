namespace ZImageSharp.Benchmarks;

/// <summary>Finds the fixture folder the same way the tests do: $ZIMAGE_FIXTURES, else ../shared/fixtures beside the repository.</summary>
internal static class BenchmarkData
{
    public static string Fixture(params string[] parts)
    {
        string? root = Environment.GetEnvironmentVariable("ZIMAGE_FIXTURES");
        if (string.IsNullOrWhiteSpace(root))
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ZImageSharp.slnx")))
                {
                    root = Path.Combine(dir.FullName, "..", "shared", "fixtures");
                    break;
                }
            }
        }

        string path = Path.Combine([root ?? ".", .. parts]);
        return File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new FileNotFoundException($"Benchmark data '{string.Join('/', parts)}' not found; set ZIMAGE_FIXTURES.", path);
    }
}
