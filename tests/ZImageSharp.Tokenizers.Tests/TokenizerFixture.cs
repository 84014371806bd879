using System.Text.Json;
using ZImageSharp.Testing;

namespace ZImageSharp.Tokenizers.Tests;

/// <summary>The real Qwen3 tokenizer and its reference ids from the fixture folder, loaded once per test run.</summary>
public static class TokenizerFixture
{
    private static readonly Lazy<BpeTokenizer> s_tokenizer = new(() => BpeTokenizer.Load(Fixtures.Path("tokenizer", "tokenizer.json")));
    private static readonly Lazy<JsonDocument> s_cases = new(() => JsonDocument.Parse(File.ReadAllText(Fixtures.Path("tokenizer", "cases.json"))));

    public static BpeTokenizer Tokenizer => s_tokenizer.Value;

    public static JsonElement Cases => s_cases.Value.RootElement;

    public static TheoryData<int> PlainCaseIndices() => Indices("cases");

    public static TheoryData<int> TemplateCaseIndices() => Indices("chat_template_cases");

    public static int[] Ids(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private static TheoryData<int> Indices(string name)
    {
        var data = new TheoryData<int>();
        int count = Cases.GetProperty(name).GetArrayLength();
        for (int i = 0; i < count; i++)
        {
            data.Add(i);
        }

        return data;
    }
}
