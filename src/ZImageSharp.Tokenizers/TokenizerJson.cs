using System.Text.Json;

namespace ZImageSharp.Tokenizers;

/// <summary>
/// Reads the parts of a Hugging Face <c>tokenizer.json</c> that a byte-level BPE tokenizer needs, checking every
/// field; an error names the field path and what was found.
/// </summary>
internal static class TokenizerJson
{
    /// <summary>The GPT-2 pattern used by a ByteLevel pre-tokenizer with use_regex = true.</summary>
    private const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public static BpeTokenizer Parse(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Error(source, "$", "the document is not a JSON object");
        }

        JsonElement model = Required(root, "model", JsonValueKind.Object, source, "$");
        string type = model.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "BPE";
        if (type != "BPE")
        {
            throw new TokenizerException($"{source}: model.type '{type}' is not supported (only BPE).");
        }

        RequireOff(model, "byte_fallback", source);
        RequireEmpty(model, "continuing_subword_prefix", source);
        RequireEmpty(model, "end_of_word_suffix", source);
        if (model.TryGetProperty("dropout", out JsonElement dropout) && dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() > 0)
        {
            throw new TokenizerException($"{source}: model.dropout {dropout.GetDouble()} is not supported for inference (expected null or 0).");
        }

        bool ignoreMerges = model.TryGetProperty("ignore_merges", out JsonElement im) && im.ValueKind == JsonValueKind.True;
        var vocab = ReadVocab(Required(model, "vocab", JsonValueKind.Object, source, "model"), source);
        var merges = ReadMerges(Required(model, "merges", JsonValueKind.Array, source, "model"), source);
        var added = ReadAddedTokens(root, source);
        bool nfc = ReadNormalizer(root, source);
        IPreTokenizer preTokenizer = ReadPreTokenizer(root, source);
        ReadDecoder(root, source);

        BpeModel bpe;
        try
        {
            bpe = new BpeModel(vocab, merges);
        }
        catch (TokenizerException e)
        {
            throw new TokenizerException($"{source}: model.merges: {e.Message}", e);
        }

        return new BpeTokenizer(bpe, added, nfc, preTokenizer, ignoreMerges, source);
    }

    private static Dictionary<string, int> ReadVocab(JsonElement vocab, string source)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (JsonProperty entry in vocab.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out int id) || id < 0)
            {
                throw Error(source, $"model.vocab[\"{entry.Name}\"]", $"expected a non-negative integer id, found {entry.Value.ValueKind}");
            }

            if (!result.TryAdd(entry.Name, id))
            {
                throw Error(source, "model.vocab", $"the token '{entry.Name}' appears twice");
            }
        }

        if (result.Count == 0)
        {
            throw Error(source, "model.vocab", "the vocabulary is empty");
        }

        return result;
    }

    private static List<(string, string)> ReadMerges(JsonElement merges, string source)
    {
        var result = new List<(string, string)>(merges.GetArrayLength());
        int index = 0;
        foreach (JsonElement m in merges.EnumerateArray())
        {
            if (m.ValueKind == JsonValueKind.String)
            {
                string text = m.GetString()!;
                int space = text.IndexOf(' ', StringComparison.Ordinal);
                if (space <= 0 || space == text.Length - 1 || text.IndexOf(' ', space + 1) >= 0)
                {
                    throw Error(source, $"model.merges[{index}]", $"expected \"left right\", found \"{text}\"");
                }

                result.Add((text[..space], text[(space + 1)..]));
            }
            else if (m.ValueKind == JsonValueKind.Array && m.GetArrayLength() == 2
                     && m[0].ValueKind == JsonValueKind.String && m[1].ValueKind == JsonValueKind.String)
            {
                result.Add((m[0].GetString()!, m[1].GetString()!));
            }
            else
            {
                throw Error(source, $"model.merges[{index}]", $"expected a \"left right\" string or a [\"left\", \"right\"] pair, found {m.ValueKind}");
            }

            index++;
        }

        return result;
    }

    private static List<AddedToken> ReadAddedTokens(JsonElement root, string source)
    {
        var result = new List<AddedToken>();
        if (!root.TryGetProperty("added_tokens", out JsonElement array) || array.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw Error(source, "added_tokens", $"expected an array, found {array.ValueKind}");
        }

        int index = 0;
        foreach (JsonElement e in array.EnumerateArray())
        {
            string path = $"added_tokens[{index++}]";
            if (e.ValueKind != JsonValueKind.Object)
            {
                throw Error(source, path, $"expected an object, found {e.ValueKind}");
            }

            JsonElement id = Required(e, "id", JsonValueKind.Number, source, path);
            JsonElement content = Required(e, "content", JsonValueKind.String, source, path);
            if (!id.TryGetInt32(out int value) || value < 0)
            {
                throw Error(source, path + ".id", "expected a non-negative integer");
            }

            result.Add(new AddedToken(
                value,
                content.GetString()!,
                Flag(e, "special", source, path),
                Flag(e, "single_word", source, path),
                Flag(e, "lstrip", source, path),
                Flag(e, "rstrip", source, path),
                Flag(e, "normalized", source, path)));
        }

        return result;
    }

    private static bool ReadNormalizer(JsonElement root, string source)
    {
        if (!root.TryGetProperty("normalizer", out JsonElement n) || n.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        string type = TypeOf(n, source, "normalizer");
        if (type == "NFC")
        {
            return true;
        }

        if (type == "Sequence")
        {
            JsonElement list = Required(n, "normalizers", JsonValueKind.Array, source, "normalizer");
            bool nfc = false;
            foreach (JsonElement item in list.EnumerateArray())
            {
                string inner = TypeOf(item, source, "normalizer.normalizers[]");
                nfc = inner == "NFC" ? true : throw new TokenizerException($"{source}: normalizer type '{inner}' is not supported (supported: NFC).");
            }

            return nfc;
        }

        throw new TokenizerException($"{source}: normalizer type '{type}' is not supported (supported: NFC).");
    }

    private static IPreTokenizer ReadPreTokenizer(JsonElement root, string source)
    {
        JsonElement p = Required(root, "pre_tokenizer", JsonValueKind.Object, source, "$");
        string type = TypeOf(p, source, "pre_tokenizer");
        if (type == "ByteLevel")
        {
            CheckByteLevel(p, source, "pre_tokenizer", allowRegex: true);
            bool useRegex = !p.TryGetProperty("use_regex", out JsonElement ur) || ur.ValueKind != JsonValueKind.False;
            return useRegex ? new RegexPreTokenizer(Gpt2Pattern) : new WholeTextPreTokenizer();
        }

        if (type != "Sequence")
        {
            throw new TokenizerException($"{source}: pre_tokenizer type '{type}' is not supported (supported: ByteLevel, Sequence[Split, ByteLevel]).");
        }

        JsonElement list = Required(p, "pretokenizers", JsonValueKind.Array, source, "pre_tokenizer");
        if (list.GetArrayLength() != 2 || TypeOf(list[0], source, "pre_tokenizer.pretokenizers[0]") != "Split"
            || TypeOf(list[1], source, "pre_tokenizer.pretokenizers[1]") != "ByteLevel")
        {
            throw new TokenizerException($"{source}: pre_tokenizer must be Sequence[Split, ByteLevel] for byte-level BPE.");
        }

        CheckByteLevel(list[1], source, "pre_tokenizer.pretokenizers[1]", allowRegex: false);
        JsonElement split = list[0];
        const string path = "pre_tokenizer.pretokenizers[0]";
        JsonElement pattern = Required(split, "pattern", JsonValueKind.Object, source, path);
        string behavior = Required(split, "behavior", JsonValueKind.String, source, path).GetString()!;
        bool invert = split.TryGetProperty("invert", out JsonElement inv) && inv.ValueKind == JsonValueKind.True;
        if (behavior != "Isolated" || invert)
        {
            throw new TokenizerException($"{source}: {path}: behavior '{behavior}' with invert={invert} is not supported (supported: Isolated, invert false).");
        }

        if (pattern.TryGetProperty("Regex", out JsonElement regex) && regex.ValueKind == JsonValueKind.String)
        {
            string text = regex.GetString()!;
            return text == Qwen2PreTokenizer.Pattern ? new Qwen2PreTokenizer() : new RegexPreTokenizer(text);
        }

        if (pattern.TryGetProperty("String", out JsonElement literal) && literal.ValueKind == JsonValueKind.String)
        {
            return new RegexPreTokenizer(System.Text.RegularExpressions.Regex.Escape(literal.GetString()!));
        }

        throw Error(source, path + ".pattern", "expected {\"Regex\": \"...\"} or {\"String\": \"...\"}");
    }

    private static void ReadDecoder(JsonElement root, string source)
    {
        if (!root.TryGetProperty("decoder", out JsonElement d) || d.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        string type = TypeOf(d, source, "decoder");
        if (type != "ByteLevel")
        {
            throw new TokenizerException($"{source}: decoder type '{type}' is not supported (supported: ByteLevel).");
        }
    }

    private static void CheckByteLevel(JsonElement e, string source, string path, bool allowRegex)
    {
        if (e.TryGetProperty("add_prefix_space", out JsonElement aps) && aps.ValueKind == JsonValueKind.True)
        {
            throw new TokenizerException($"{source}: {path}.add_prefix_space = true is not supported.");
        }

        if (!allowRegex && e.TryGetProperty("use_regex", out JsonElement ur) && ur.ValueKind == JsonValueKind.True)
        {
            throw new TokenizerException($"{source}: {path}.use_regex = true after a Split is not supported.");
        }
    }

    private static string TypeOf(JsonElement e, string source, string path)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw Error(source, path, $"expected an object, found {e.ValueKind}");
        }

        return Required(e, "type", JsonValueKind.String, source, path).GetString()!;
    }

    private static JsonElement Required(JsonElement parent, string name, JsonValueKind kind, string source, string path)
    {
        if (!parent.TryGetProperty(name, out JsonElement value))
        {
            throw Error(source, $"{path}.{name}", "the field is missing");
        }

        if (value.ValueKind != kind)
        {
            throw Error(source, $"{path}.{name}", $"expected {kind}, found {value.ValueKind}");
        }

        return value;
    }

    private static bool Flag(JsonElement e, string name, string source, string path)
    {
        if (!e.TryGetProperty(name, out JsonElement value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw Error(source, $"{path}.{name}", $"expected true or false, found {value.ValueKind}"),
        };
    }

    private static void RequireOff(JsonElement model, string name, string source)
    {
        if (model.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.True)
        {
            throw new TokenizerException($"{source}: model.{name} = true is not supported.");
        }
    }

    private static void RequireEmpty(JsonElement model, string name, string source)
    {
        if (model.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0)
        {
            throw new TokenizerException($"{source}: model.{name} '{v.GetString()}' is not supported (byte-level BPE uses none).");
        }
    }

    private static TokenizerException Error(string source, string path, string problem) => new($"{source}: {path}: {problem}.");

    /// <summary>A ByteLevel pre-tokenizer without regex: the whole text is one piece.</summary>
    private sealed class WholeTextPreTokenizer : IPreTokenizer
    {
        public void Split(string text, Action<int, int> onPiece)
        {
            if (text.Length > 0)
            {
                onPiece(0, text.Length);
            }
        }
    }
}
