using System.Text.Json;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.IO.Tests.Support;
using ZImageSharp.Testing;
using ZImageSharp.Testing.Checkpoints;

namespace ZImageSharp.Cli.Tests.Commands;

public sealed class InfoCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> MalformedCases() => [.. MalformedFiles.All.Keys];

    /// <summary>The expected rows and totals come from the fixture's own header (read without the product's reader), so
    /// the test holds for any dit-tiny fixture set of the same layout (101 tensors, 1,882,624 parameters in the shipped one).</summary>
    [Fact]
    public void Info_DitTiny_ListsEveryTensorSortedWithTotals()
    {
        string path = Fixtures.Path("dit-tiny", "model.safetensors");
        IReadOnlyList<RawTensorEntry> entries = IndependentHeader.Entries(path);
        CliRun run = CliRun.Of("info", path);
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);

        string[] lines = run.Stdout.Split('\n');
        Assert.Equal($"{path} (safetensors file)", lines[0]);
        string[] rows = [.. lines.Skip(2).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal))];
        Assert.Equal(entries.Count, rows.Length);
        string[] names = [.. rows.Select(r => r.Trim().Split(' ')[0])];
        Assert.Equal(entries.Select(e => e.Name), names);
        RawTensorEntry q = entries.Single(e => e.Name == "layers.0.attention.to_q.weight");
        string row = rows.Single(r => r.Contains(q.Name, StringComparison.Ordinal));
        Assert.Matches($@"^  layers\.0\.attention\.to_q\.weight +{q.DType} +\[{string.Join(", ", q.Shape)}\] +{q.Bytes:N0}$", row);
        long parameters = entries.Sum(e => e.Elements);
        long bytes = entries.Sum(e => e.Bytes);
        Assert.Contains($"totals: {entries.Count} tensors, {parameters:N0} parameters, {bytes:N0} bytes", run.Stdout);
        foreach (IGrouping<string, RawTensorEntry> group in entries.GroupBy(e => e.DType))
        {
            Assert.Contains($"{group.Key} ({group.Count()} tensors)", run.Stdout);
        }

        Assert.Contains("  class: ZImageTransformer2DModel\n", run.Stdout);
    }

    [Fact]
    public void Info_Json_ParsesAndCarriesTheSameNumbers()
    {
        string path = Fixtures.Path("dit-tiny", "model.safetensors");
        IReadOnlyList<RawTensorEntry> entries = IndependentHeader.Entries(path);
        CliRun run = CliRun.Of("info", path, "--json");
        Assert.Equal(0, run.ExitCode);
        using JsonDocument document = JsonDocument.Parse(run.Stdout);
        JsonElement root = document.RootElement;
        JsonElement component = root.GetProperty("components")[0];
        Assert.Equal(entries.Count, component.GetProperty("tensors").GetArrayLength());
        JsonElement first = component.GetProperty("tensors")[0];
        Assert.Equal(entries[0].Name, first.GetProperty("name").GetString());
        Assert.Equal(entries[0].DType, first.GetProperty("dtype").GetString());
        Assert.Equal(entries[0].Shape, first.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal(entries[0].Bytes, first.GetProperty("bytes").GetInt64());
        Assert.Equal("ZImageTransformer2DModel", component.GetProperty("metadata").GetProperty("class").GetString());
        JsonElement totals = root.GetProperty("totals");
        Assert.Equal(entries.Count, totals.GetProperty("tensors").GetInt32());
        Assert.Equal(entries.Sum(e => e.Elements), totals.GetProperty("parameters").GetInt64());
        Assert.Equal(entries.Sum(e => e.Bytes), totals.GetProperty("bytes").GetInt64());
        foreach (IGrouping<string, RawTensorEntry> group in entries.GroupBy(e => e.DType))
        {
            Assert.Equal(group.Count(), totals.GetProperty("dtypes").GetProperty(group.Key).GetInt32());
        }
    }

    [Fact]
    public void Info_DiffusersFolder_ListsEachComponentAndGrandTotals()
    {
        File.WriteAllText(_dir.File("model_index.json"),
            "{\"_class_name\":\"ZImagePipeline\",\"scheduler\":[\"diffusers\",\"FlowMatchEulerDiscreteScheduler\"]," +
            "\"transformer\":[\"diffusers\",\"ZImageTransformer2DModel\"],\"vae\":[\"diffusers\",\"AutoencoderKL\"]}");
        Directory.CreateDirectory(_dir.File("scheduler"));
        string transformer = Directory.CreateDirectory(_dir.File("transformer")).FullName;
        string index = WriteShards(transformer, "diffusion_pytorch_model", shards: 3);
        string vae = Directory.CreateDirectory(_dir.File("vae")).FullName;
        File.Copy(Fixtures.Path("vae-tiny", "model.safetensors"), Path.Combine(vae, "diffusion_pytorch_model.safetensors"));

        CliRun run = CliRun.Of("info", _dir.Path);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"transformer (ZImageTransformer2DModel): {index} (shard index, 3 shards)\n", run.Stdout);
        Assert.Contains("vae (AutoencoderKL): ", run.Stdout);
        Assert.Contains("all 2 components:\ntotals: 202 tensors, 1,308,937 parameters", run.Stdout);

        using JsonDocument json = JsonDocument.Parse(CliRun.Of("info", _dir.Path, "--json").Stdout);
        JsonElement components = json.RootElement.GetProperty("components");
        Assert.Equal(["transformer", "vae"], components.EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(3, components[0].GetProperty("files").GetArrayLength());
        JsonElement t1 = components[0].GetProperty("tensors").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "t1");
        Assert.EndsWith("-00002-of-00003.safetensors", t1.GetProperty("file").GetString());
    }

    [Fact]
    public void Info_IndexFile_ListsTheShardSet()
    {
        string index = WriteShards(_dir.Path, "model", shards: 3);
        CliRun run = CliRun.Of("info", index);
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith($"{index} (shard index, 3 shards)\n", run.Stdout);
        Assert.Contains("totals: 6 tensors, 6 parameters, 24 bytes (24 B)", run.Stdout);
        Assert.Contains("  total_size: 24\n", run.Stdout);
    }

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public void Info_MalformedFile_PrintsOneErrorLineAndExits2(string name)
    {
        string path = MalformedFiles.All[name](_dir.Path);
        CliRun run = CliRun.Of("info", path);
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        string line = Assert.Single(run.StderrLines);
        Assert.StartsWith($"zimage: error: {path}: invalid safetensors file: ", line);
    }

    [Fact]
    public void Info_MissingShard_PrintsOneErrorLineNamingIndexAndShard()
    {
        string index = WriteShards(_dir.Path, "model", shards: 3);
        File.Delete(_dir.File("model-00002-of-00003.safetensors"));
        CliRun run = CliRun.Of("info", index);
        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.StderrLines);
        Assert.StartsWith($"zimage: error: {index}: tensor 't1': its shard file 'model-00002-of-00003.safetensors' does not exist", line);
    }

    [Fact]
    public void Info_MissingPath_PrintsOneErrorLine()
    {
        string missing = _dir.File("nothing-here.safetensors");
        CliRun run = CliRun.Of("info", missing);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal([$"zimage: error: {missing}: no such file or folder."], run.StderrLines);
    }

    [Fact]
    public void Info_AmbiguousFolder_PrintsOneErrorLine()
    {
        Directory.CreateDirectory(_dir.File("empty"));
        CliRun run = CliRun.Of("info", _dir.File("empty"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("holds no .safetensors file", Assert.Single(run.StderrLines));
    }

    private static string WriteShards(string folder, string stem, int shards)
    {
        var map = new List<string>();
        for (int s = 0; s < shards; s++)
        {
            string file = $"{stem}-{s + 1:D5}-of-{shards:D5}.safetensors";
            var writer = new SafetensorsWriter();
            writer.Add($"t{s}", SafetensorsDType.F32, [1], new byte[4]);
            writer.Add($"u{s}", SafetensorsDType.F32, [1], new byte[4]);
            writer.Save(Path.Combine(folder, file));
            map.Add($"\"t{s}\":\"{file}\",\"u{s}\":\"{file}\"");
        }

        string index = Path.Combine(folder, stem + ".safetensors.index.json");
        File.WriteAllText(index, $"{{\"metadata\":{{\"total_size\":{shards * 8}}},\"weight_map\":{{{string.Join(",", map)}}}}}");
        return index;
    }
}
