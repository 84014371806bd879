using ZImageSharp.Testing;
using System.Text.Json;

namespace ZImageSharp.Pipelines.Tests.Noise;

/// <summary>torch-rng/cases.json: one fresh generator per named case, and sequences of calls on one generator.</summary>
internal static class TorchRngFixture
{
    // Names of consecutive calls in a sequence ("seq42_first", "seq42_second", ...), in call order.
    private static readonly string[] Ordinals = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"];

    /// <summary>A case: the seed and the tensors drawn one after another from one generator (one tensor for a plain case).</summary>
    public sealed record Case(string Name, ulong Seed, IReadOnlyList<string> Tensors);

    public static string TensorFile => Fixtures.Path("torch-rng", "randn.safetensors");

    public static IReadOnlyList<Case> Load(IReadOnlyList<string> tensorNames)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("torch-rng", "cases.json")));
        var cases = new List<Case>();
        foreach (JsonElement c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            string name = c.GetProperty("name").GetString()!;
            ulong seed = c.GetProperty("seed").GetUInt64();
            if (!name.EndsWith('*'))
            {
                cases.Add(new Case(name, seed, [name]));
                continue;
            }

            // "seq42_*": the tensors seq42_<ordinal>, drawn in ordinal order from one generator.
            string prefix = name[..^1];
            var sequence = tensorNames.Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(n => OrdinalOf(n[prefix.Length..], n))
                .ToList();
            Assert.True(sequence.Count > 0, $"cases.json names the sequence {name}, but randn.safetensors has no tensor starting with {prefix}.");
            cases.Add(new Case(name, seed, sequence));
        }

        return cases;
    }

    private static int OrdinalOf(string word, string tensor)
    {
        int index = Array.IndexOf(Ordinals, word);
        return index >= 0 ? index : throw new InvalidDataException($"Tensor {tensor}: '{word}' is not an ordinal word ({string.Join(", ", Ordinals)}).");
    }
}
