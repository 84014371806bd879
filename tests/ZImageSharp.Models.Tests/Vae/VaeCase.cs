using System.Text.Json;
using ZImageSharp.Testing;

namespace ZImageSharp.Models.Tests.Vae;

/// <summary>One entry of vae-tiny/cases.json: its name (also the file name), kind and the tensors its file holds.</summary>
internal sealed record VaeCase(string Name, string Kind, IReadOnlyDictionary<string, int[]> Tensors)
{
    private static readonly Lazy<IReadOnlyList<VaeCase>> s_all = new(Read);

    /// <summary>Every case the fixture lists.</summary>
    public static IReadOnlyList<VaeCase> All => s_all.Value;

    /// <summary>The case's safetensors file.</summary>
    public string FilePath => Fixtures.Path("vae-tiny", Name + ".safetensors");

    public static VaeCase Named(string name) => All.Single(c => c.Name == name);

    private static List<VaeCase> Read()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("vae-tiny", "cases.json")));
        var cases = new List<VaeCase>();
        foreach (JsonElement c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var tensors = new Dictionary<string, int[]>(StringComparer.Ordinal);
            foreach (JsonProperty t in c.GetProperty("tensors").EnumerateObject())
            {
                tensors[t.Name] = [.. t.Value.EnumerateArray().Select(d => d.GetInt32())];
            }

            cases.Add(new VaeCase(c.GetProperty("name").GetString()!, c.GetProperty("kind").GetString()!, tensors));
        }

        return cases;
    }
}
