using System.Text;
using System.Text.Json;

namespace ZImageSharp.Tokenizers;

/// <summary>
/// A byte-level BPE tokenizer loaded from a Hugging Face <c>tokenizer.json</c> (Qwen2/Qwen3, GPT-2 style): added
/// tokens are matched verbatim first, the rest is NFC-normalised, split by the pre-tokenizer pattern, mapped to
/// byte-level characters and merged by rank. Nothing about the vocabulary is compiled in.
/// </summary>
public sealed class BpeTokenizer
{
    private readonly BpeModel _model;
    private readonly AddedVocabulary _rawAdded;
    private readonly AddedVocabulary _normalizedAdded;
    private readonly Dictionary<int, AddedToken> _addedById;
    private readonly Dictionary<string, AddedToken> _addedByContent;
    private readonly bool _nfc;
    private readonly IPreTokenizer _preTokenizer;
    private readonly bool _ignoreMerges;

    internal BpeTokenizer(BpeModel model, IReadOnlyList<AddedToken> added, bool nfc, IPreTokenizer preTokenizer, bool ignoreMerges, string source)
    {
        _model = model;
        AddedTokens = added;
        _rawAdded = new AddedVocabulary(added.Where(t => !t.Normalized));
        _normalizedAdded = new AddedVocabulary(added.Where(t => t.Normalized).Select(t => t with { Content = nfc ? NfcNormalizer.Normalize(t.Content) : t.Content }));
        _addedById = added.GroupBy(t => t.Id).ToDictionary(g => g.Key, g => g.Last());
        _addedByContent = added.GroupBy(t => t.Content, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        _nfc = nfc;
        _preTokenizer = preTokenizer;
        _ignoreMerges = ignoreMerges;
        Source = source;
    }

    /// <summary>Where the tokenizer was loaded from (used in messages).</summary>
    public string Source { get; }

    /// <summary>The added tokens (special and not), in file order.</summary>
    public IReadOnlyList<AddedToken> AddedTokens { get; }

    /// <summary>Vocabulary entries plus added tokens whose ids are outside the vocabulary.</summary>
    public int VocabularySize => _model.VocabularySize + _addedById.Keys.Count(id => _model.TokenOf(id) is null);

    /// <summary>Loads <c>tokenizer.json</c> from a file, or from a folder that contains one.</summary>
    /// <exception cref="FileNotFoundException">When no tokenizer.json is there.</exception>
    /// <exception cref="TokenizerException">When the file is malformed or uses an unsupported feature; the message names the field.</exception>
    public static BpeTokenizer Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string file = Directory.Exists(path) ? Path.Combine(path, "tokenizer.json") : path;
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"Tokenizer file not found: {file}", file);
        }

        using FileStream stream = File.OpenRead(file);
        return Load(stream, file);
    }

    /// <summary>Loads a tokenizer.json document from a stream; <paramref name="source"/> names it in messages.</summary>
    public static BpeTokenizer Load(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            using JsonDocument document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 64 });
            return TokenizerJson.Parse(document.RootElement, source);
        }
        catch (JsonException e)
        {
            throw new TokenizerException($"{source}: not valid JSON ({e.Message})", e);
        }
    }

    /// <summary>
    /// A byte-level tokenizer without merges: ids 0–255 are the 256 bytes (in byte order), then
    /// <paramref name="specialTokens"/> from 256 on; the Qwen2 pre-tokenizer and NFC as in Qwen3. Every text encodes to
    /// one id per UTF-8 byte, so it needs no vocabulary file (the built-in demo model uses it).
    /// </summary>
    public static BpeTokenizer CreateByteLevel(IReadOnlyList<string> specialTokens)
    {
        ArgumentNullException.ThrowIfNull(specialTokens);
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int b = 0; b < 256; b++)
        {
            vocab[ByteLevelMapping.ToChar((byte)b).ToString()] = b;
        }

        var added = specialTokens.Select((t, i) => new AddedToken(256 + i, t, Special: true)).ToList();
        return new BpeTokenizer(new BpeModel(vocab, []), added, nfc: true, new Qwen2PreTokenizer(), ignoreMerges: false, "(built-in byte-level tokenizer)");
    }

    /// <summary>Encodes text to token ids. Added tokens written in the text become their single ids (as the reference does).</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 4);
        var segments = new List<AddedVocabulary.Segment>();
        _rawAdded.Split(text, segments);
        var normalizedSegments = new List<AddedVocabulary.Segment>();
        foreach (var segment in segments)
        {
            if (segment.Token is not null)
            {
                ids.Add(segment.Token.Id);
                continue;
            }

            string normalized = _nfc ? NfcNormalizer.Normalize(segment.Text) : segment.Text;
            normalizedSegments.Clear();
            if (_normalizedAdded.IsEmpty)
            {
                normalizedSegments.Add(new AddedVocabulary.Segment(normalized, null));
            }
            else
            {
                _normalizedAdded.Split(normalized, normalizedSegments);
            }

            foreach (var piece in normalizedSegments)
            {
                if (piece.Token is not null)
                {
                    ids.Add(piece.Token.Id);
                }
                else
                {
                    EncodePlain(piece.Text, ids);
                }
            }
        }

        return [.. ids];
    }

    /// <summary>Turns ids back into text; byte sequences that are not valid UTF-8 become U+FFFD, as in the reference.</summary>
    /// <exception cref="ArgumentOutOfRangeException">For an id that is neither in the vocabulary nor an added token.</exception>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            string token;
            if (_addedById.TryGetValue(id, out AddedToken? added))
            {
                if (skipSpecialTokens && added.Special)
                {
                    continue;
                }

                token = added.Content;
            }
            else
            {
                token = _model.TokenOf(id) ?? throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} is not in the vocabulary of {Source}.");
            }

            AppendTokenBytes(token, bytes);
        }

        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetString(bytes.ToArray());
    }

    /// <summary>The id of a token string (an added token's content or a vocabulary entry in byte-level form).</summary>
    public bool TryGetId(string token, out int id)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (_addedByContent.TryGetValue(token, out AddedToken? added))
        {
            id = added.Id;
            return true;
        }

        return _model.TryGetId(token, out id);
    }

    /// <summary>The token string of an id (byte-level form for vocabulary entries), or null.</summary>
    public string? IdToToken(int id) => _addedById.TryGetValue(id, out AddedToken? added) ? added.Content : _model.TokenOf(id);

    private void EncodePlain(string text, List<int> ids)
    {
        _preTokenizer.Split(text, (start, length) =>
        {
            string word = ByteLevelMapping.Encode(Encoding.UTF8.GetBytes(text, start, length));
            if (_ignoreMerges && _model.TryGetId(word, out int whole))
            {
                ids.Add(whole);
                return;
            }

            _model.EncodeWord(word, ids);
        });
    }

    /// <summary>The reference decoder maps each token's characters back to bytes when every character is in the byte
    /// map, and otherwise keeps the token's own UTF-8 bytes.</summary>
    private static void AppendTokenBytes(string token, List<byte> bytes)
    {
        int mark = bytes.Count;
        foreach (char c in token)
        {
            if (!ByteLevelMapping.TryToByte(c, out byte b))
            {
                bytes.RemoveRange(mark, bytes.Count - mark);
                bytes.AddRange(Encoding.UTF8.GetBytes(token));
                return;
            }

            bytes.Add(b);
        }
    }
}
