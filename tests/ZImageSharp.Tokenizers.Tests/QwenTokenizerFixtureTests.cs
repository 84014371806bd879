using System.Text.Json;

namespace ZImageSharp.Tokenizers.Tests;

/// <summary>Exact ids against the reference tokenizer for every fixture case (plain texts and chat-templated prompts).</summary>
public sealed class QwenTokenizerFixtureTests
{
    [Theory]
    [MemberData(nameof(TokenizerFixture.PlainCaseIndices), MemberType = typeof(TokenizerFixture))]
    public void Encode_MatchesReferenceIds(int index)
    {
        JsonElement c = TokenizerFixture.Cases.GetProperty("cases")[index];
        string text = c.GetProperty("text").GetString()!;
        int[] expected = TokenizerFixture.Ids(c.GetProperty("ids"));
        int[] actual = TokenizerFixture.Tokenizer.Encode(text);
        Assert.True(expected.SequenceEqual(actual), $"case {index} {Describe(text)}:\n expected [{string.Join(", ", expected)}]\n actual   [{string.Join(", ", actual)}]");
    }

    [Theory]
    [MemberData(nameof(TokenizerFixture.PlainCaseIndices), MemberType = typeof(TokenizerFixture))]
    public void Decode_OfReferenceIds_RoundTripsToNormalizedText(int index)
    {
        JsonElement c = TokenizerFixture.Cases.GetProperty("cases")[index];
        string text = c.GetProperty("text").GetString()!;
        int[] ids = TokenizerFixture.Ids(c.GetProperty("ids"));
        Assert.Equal(NfcNormalizer.Normalize(text), TokenizerFixture.Tokenizer.Decode(ids));
    }

    [Theory]
    [MemberData(nameof(TokenizerFixture.TemplateCaseIndices), MemberType = typeof(TokenizerFixture))]
    public void ChatTemplate_MatchesReferenceTextIdsAndTruncation(int index)
    {
        JsonElement c = TokenizerFixture.Cases.GetProperty("chat_template_cases")[index];
        string prompt = c.GetProperty("prompt").GetString()!;
        Assert.Equal(c.GetProperty("templated_text").GetString(), Qwen3ChatTemplate.FormatUserPrompt(prompt));

        int maxLength = TokenizerFixture.Cases.GetProperty("max_sequence_length").GetInt32();
        PromptTokens tokens = Qwen3ChatTemplate.Encode(TokenizerFixture.Tokenizer, prompt, maxLength);
        int[] full = TokenizerFixture.Ids(c.GetProperty("templated_ids"));
        int[] pipeline = TokenizerFixture.Ids(c.GetProperty("pipeline_input_ids_unpadded"));
        Assert.Equal(full.Length, tokens.FullLength);
        Assert.Equal(pipeline, tokens.Ids);
        Assert.Equal(c.GetProperty("pipeline_valid_length").GetInt32(), tokens.Length);
        Assert.Equal(c.GetProperty("truncated").GetBoolean(), tokens.Truncated);
        Assert.Equal(full.Length - pipeline.Length, tokens.DroppedTokens);
    }

    [Fact]
    public void SpecialTokens_AreReadFromTheFile()
    {
        BpeTokenizer t = TokenizerFixture.Tokenizer;
        Assert.True(t.TryGetId("<|im_start|>", out int imStart));
        Assert.Equal(151644, imStart);
        Assert.Equal(TokenizerFixture.Cases.GetProperty("pad_token_id").GetInt32(), t.TryGetId(TokenizerFixture.Cases.GetProperty("pad_token").GetString()!, out int pad) ? pad : -1);
        Assert.Equal(26, t.AddedTokens.Count);
        Assert.Equal(151669, t.VocabularySize);
        Assert.Equal("<|im_end|>", t.IdToToken(151645));
        Assert.Equal("Hello world", t.Decode([151644, 9707, 1879, 151645], skipSpecialTokens: true));
    }

    private static string Describe(string text) => text.Length > 40 ? JsonSerializer.Serialize(text[..40]) + "…" : JsonSerializer.Serialize(text);
}
