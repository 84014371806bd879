using System.Text;
using System.Text.Json.Nodes;

namespace ZImageSharp.Tokenizers.Tests;

/// <summary>A hand-made byte-level BPE tokenizer.json with a few merges, for exact behaviour tests.</summary>
public static class TinyTokenizer
{
    /// <summary>Vocabulary: the 256 byte symbols (ids 0..255 in byte order), then merged tokens.</summary>
    public static JsonNode Document(string mergesJson = "[\"a b\", \"ab c\", \"b c\", \"Ġ a\"]", string addedJson = "[]")
    {
        var vocab = new JsonObject();
        for (int b = 0; b < 256; b++)
        {
            vocab[ByteLevelMapping.ToChar((byte)b).ToString()] = b;
        }

        vocab["ab"] = 256;
        vocab["abc"] = 257;
        vocab["bc"] = 258;
        vocab["Ġa"] = 259;
        string pattern = System.Text.Json.JsonSerializer.Serialize(Qwen2PreTokenizer.Pattern);
        string json = $$$"""
        {
          "version": "1.0",
          "added_tokens": {{{addedJson}}},
          "normalizer": {"type": "NFC"},
          "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": {{{pattern}}}}, "behavior": "Isolated", "invert": false},
            {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}]},
          "post_processor": null,
          "decoder": {"type": "ByteLevel"},
          "model": {"type": "BPE", "dropout": null, "unk_token": null, "byte_fallback": false, "merges": {{{mergesJson}}}, "vocab": {}}
        }
        """;
        JsonNode doc = JsonNode.Parse(json)!;
        doc["model"]!["vocab"] = vocab;
        return doc;
    }

    public static BpeTokenizer Load(JsonNode document)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(document.ToJsonString()));
        return BpeTokenizer.Load(stream, "tiny.json");
    }
}
