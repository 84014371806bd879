using System.Text.Json;
using ZImageSharp.Testing;

namespace ZImageSharp.Models.Tests.ZImage;

/// <summary>One golden case of dit-tiny/cases.json: its file and per-item padded lengths of the image and caption streams.</summary>
internal sealed record DitCase(string Name, string File, int[] ImageLengths, int[] CaptionLengths)
{
    public int Batch => ImageLengths.Length;

    /// <summary>Per item: [image ; caption].</summary>
    public int[] UnifiedLengths => [.. ImageLengths.Zip(CaptionLengths, (x, c) => x + c)];
}

/// <summary>The dit-tiny fixture folder: paths and the case list, read from cases.json (nothing tuned to the shipped cases).</summary>
internal static class DitTiny
{
    public const string Folder = "dit-tiny";

    private static readonly Lazy<IReadOnlyList<DitCase>> s_cases = new(ReadCases);

    public static IReadOnlyList<DitCase> Cases => s_cases.Value;

    public static string Path(string file) => Fixtures.Path(Folder, file);

    public static DitCase Case(string name) => Cases.Single(c => c.Name == name);

    private static List<DitCase> ReadCases()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path("cases.json")));
        var cases = new List<DitCase>();
        foreach (JsonElement c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            cases.Add(new DitCase(
                c.GetProperty("name").GetString()!,
                c.GetProperty("file").GetString()!,
                [.. c.GetProperty("x_seqlens_padded").EnumerateArray().Select(e => e.GetInt32())],
                [.. c.GetProperty("cap_seqlens_padded").EnumerateArray().Select(e => e.GetInt32())]));
        }

        return cases;
    }
}
