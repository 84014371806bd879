using System.Text.Json;
using ZImageSharp.Testing;

namespace ZImageSharp.Cli.Tests.Commands;

public sealed class TokenizeCommandTests
{
    private static string TokenizerFolder => Fixtures.Path("tokenizer");

    [Fact]
    public void Json_PrintsTheIdsOnOneLine()
    {
        CliRun run = CliRun.Of("tokenize", "Hello world", "--json", "--tokenizer", TokenizerFolder);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("{\"ids\": [9707, 1879]}\n", run.Stdout);
        Assert.Equal([9707, 1879], JsonDocument.Parse(run.Stdout).RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void Template_MatchesTheFixtureAndListsTokens()
    {
        using JsonDocument cases = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("tokenizer", "cases.json")));
        JsonElement c = cases.RootElement.GetProperty("chat_template_cases")[0];
        CliRun run = CliRun.Of("tokenize", c.GetProperty("prompt").GetString()!, "--template", "--json", "--tokenizer", TokenizerFolder);
        int[] expected = c.GetProperty("pipeline_input_ids_unpadded").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(expected, JsonDocument.Parse(run.Stdout).RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()));

        CliRun text = CliRun.Of("tokenize", "a cat", "--template", "--tokenizer", Fixtures.Path("tokenizer", "tokenizer.json"));
        Assert.Equal(0, text.ExitCode);
        Assert.StartsWith("10 tokens: [151644, 872, 198,", text.Stdout);
        Assert.Contains("\"<|im_start|>\"", text.Stdout);
        Assert.Contains("\" cat\"", text.Stdout);
    }

    [Fact]
    public void Truncation_IsReported()
    {
        string prompt = string.Join(' ', Enumerable.Repeat("a highly detailed photograph", 200));
        CliRun run = CliRun.Of("tokenize", prompt, "--template", "--tokenizer", TokenizerFolder);
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("512 tokens:", run.Stdout);
        Assert.Contains("note: the templated prompt has", run.Stdout);
    }

    [Fact]
    public void MissingTokenizer_IsOneErrorLine()
    {
        CliRun run = CliRun.Of("tokenize", "x", "--tokenizer", Path.Combine(Path.GetTempPath(), "zimage-no-such-folder"));
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StderrLines);
        Assert.Contains("no tokenizer.json there", run.Stderr);
    }

    [Fact]
    public void CorruptTokenizer_IsOneErrorLineNamingTheField()
    {
        string dir = Directory.CreateTempSubdirectory("zimage-tok").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "tokenizer.json"), "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}}}");
            CliRun run = CliRun.Of("tokenize", "x", "--tokenizer", dir);
            Assert.Equal(2, run.ExitCode);
            Assert.Single(run.StderrLines);
            Assert.Contains("model.merges: the field is missing", run.Stderr);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
