namespace ZImageSharp.Tokenizers.Tests;

/// <summary>Exact BPE and added-token semantics on a hand-made vocabulary.</summary>
public sealed class BpeBehaviourTests
{
    [Fact]
    public void MergesApplyByRank_NotByPosition()
    {
        // "abc": rank 0 merges a+b, then rank 1 merges ab+c. "bc" (rank 2) never gets a chance.
        BpeTokenizer t = TinyTokenizer.Load(TinyTokenizer.Document());
        Assert.Equal(new[] { 257 }, t.Encode("abc"));

        // With b+c ranked first, "abc" becomes a + bc.
        BpeTokenizer swapped = TinyTokenizer.Load(TinyTokenizer.Document("[\"b c\", \"a b\", \"ab c\"]"));
        Assert.Equal(new[] { 'a', 258 }, swapped.Encode("abc"));
    }

    [Fact]
    public void EqualRanks_MergeLeftmostFirst()
    {
        // "abab" -> the left "ab" merges first, then the right one: [ab, ab].
        BpeTokenizer t = TinyTokenizer.Load(TinyTokenizer.Document("[\"a b\"]"));
        Assert.Equal(new[] { 256, 256 }, t.Encode("abab"));
    }

    [Fact]
    public void SpaceBecomesByteLevelPrefix()
    {
        BpeTokenizer t = TinyTokenizer.Load(TinyTokenizer.Document());
        Assert.Equal(new[] { 'x', 259 }, t.Encode("x a"));
    }

    [Fact]
    public void AddedTokens_LongestMatchWins_AndFlagsApply()
    {
        string added = """
        [{"id": 300, "content": "<s>", "special": true},
         {"id": 301, "content": "<s>x", "special": false},
         {"id": 302, "content": "[L]", "lstrip": true, "rstrip": true, "special": true},
         {"id": 303, "content": "W", "single_word": true, "special": false}]
        """;
        BpeTokenizer t = TinyTokenizer.Load(TinyTokenizer.Document(addedJson: added));
        Assert.Equal(new[] { 301, 'y' }, t.Encode("<s>xy"));
        Assert.Equal(new[] { 300, 'y' }, t.Encode("<s>y"));
        Assert.Equal(new[] { 'a', 302, 'b' }, t.Encode("a  [L]  b"));
        Assert.Equal(new[] { 303, ' ', 'c' }, t.Encode("W c"));
        Assert.Equal(new int[] { 'a', 'W' }, t.Encode("aW"));
        Assert.Equal("y", t.Decode([300, 'y'], skipSpecialTokens: true));
        Assert.Equal("<s>y", t.Decode([300, 'y']));
    }

    [Fact]
    public void Decode_InvalidUtf8_BecomesReplacementCharacter()
    {
        BpeTokenizer t = TinyTokenizer.Load(TinyTokenizer.Document());
        Assert.Equal("\uFFFD", t.Decode([0xE4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Decode([99_999]));
    }

    [Fact]
    public void ByteLevelTokenizer_OneIdPerByte_SpecialTokensAfter()
    {
        BpeTokenizer t = BpeTokenizer.CreateByteLevel(["<|im_start|>", "<|im_end|>"]);
        Assert.Equal(new[] { 256, 'h', 0xC3, 0xA9, 257 }, t.Encode("<|im_start|>h\u00e9<|im_end|>"));
        Assert.Equal("<|im_start|>hé<|im_end|>", t.Decode(t.Encode("<|im_start|>h\u00e9<|im_end|>")));
        Assert.Equal(258, t.VocabularySize);
    }
}
