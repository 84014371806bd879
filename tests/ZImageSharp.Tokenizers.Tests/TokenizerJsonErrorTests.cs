using System.Text;
using System.Text.Json.Nodes;

namespace ZImageSharp.Tokenizers.Tests;

/// <summary>A tokenizer.json with a missing or corrupt field is rejected with a message naming the field.</summary>
public sealed class TokenizerJsonErrorTests
{
    [Theory]
    [InlineData("model", null, "model: the field is missing")]
    [InlineData("model.vocab", null, "model.vocab: the field is missing")]
    [InlineData("model.vocab", "[1, 2]", "model.vocab: expected Object, found Array")]
    [InlineData("model.merges", null, "model.merges: the field is missing")]
    [InlineData("model.merges", "[\"a\"]", "model.merges[0]: expected \"left right\"")]
    [InlineData("model.merges", "[[\"a\", 3]]", "model.merges[0]: expected a \"left right\" string")]
    [InlineData("model.merges", "[\"a q\"]", "merge #0 refers to 'aq', which is not in the vocabulary")]
    [InlineData("model.type", "\"WordPiece\"", "model.type 'WordPiece' is not supported")]
    [InlineData("model.byte_fallback", "true", "model.byte_fallback = true is not supported")]
    [InlineData("added_tokens", "[{\"content\": \"<x>\"}]", "added_tokens[0].id: the field is missing")]
    [InlineData("added_tokens", "[{\"id\": -4, \"content\": \"<x>\"}]", "added_tokens[0].id: expected a non-negative integer")]
    [InlineData("normalizer", "{\"type\": \"NFKC\"}", "normalizer type 'NFKC' is not supported")]
    [InlineData("pre_tokenizer", null, "pre_tokenizer: the field is missing")]
    [InlineData("pre_tokenizer", "{\"type\": \"Whitespace\"}", "pre_tokenizer type 'Whitespace' is not supported")]
    [InlineData("decoder", "{\"type\": \"WordPiece\"}", "decoder type 'WordPiece' is not supported")]
    public void CorruptField_IsNamed(string path, string? json, string expectedMessage)
    {
        JsonNode doc = TinyTokenizer.Document();
        Set(doc, path, json);
        var e = Assert.Throws<TokenizerException>(() => TinyTokenizer.Load(doc));
        Assert.Contains("tiny.json", e.Message);
        Assert.Contains(expectedMessage, e.Message);
    }

    [Fact]
    public void InvalidJson_IsReported()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"model\": {"));
        var e = Assert.Throws<TokenizerException>(() => BpeTokenizer.Load(stream, "broken.json"));
        Assert.Contains("broken.json: not valid JSON", e.Message);
    }

    [Fact]
    public void MissingFile_IsReported()
        => Assert.Throws<FileNotFoundException>(() => BpeTokenizer.Load(Path.Combine(Path.GetTempPath(), "no-such-dir-zimage", "tokenizer.json")));

    private static void Set(JsonNode doc, string path, string? json)
    {
        string[] parts = path.Split('.');
        JsonObject parent = doc.AsObject();
        for (int i = 0; i < parts.Length - 1; i++)
        {
            parent = parent[parts[i]]!.AsObject();
        }

        if (json is null)
        {
            parent.Remove(parts[^1]);
        }
        else
        {
            parent[parts[^1]] = JsonNode.Parse(json);
        }
    }
}
