namespace ZImageSharp.Tokenizers;

/// <summary>
/// Byte-pair encoding over byte-level symbols: a word (already mapped to byte-level characters) starts as one symbol
/// per character and repeatedly merges the adjacent pair with the lowest merge rank until no pair is in the merge
/// table; each final symbol is a vocabulary id.
/// </summary>
public sealed class BpeModel
{
    private const int CacheCapacity = 100_000;

    private readonly Dictionary<string, int> _vocab;
    private readonly string[] _idToToken;
    private readonly Dictionary<long, Merge> _merges;
    private readonly Dictionary<char, int> _charIds;
    private readonly Dictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly Lock _cacheLock = new();

    /// <summary>Builds the model.</summary>
    /// <param name="vocab">Token string → id.</param>
    /// <param name="merges">Merge rules in rank order (first = applied first).</param>
    /// <exception cref="TokenizerException">When a merge names a token missing from the vocabulary.</exception>
    public BpeModel(IReadOnlyDictionary<string, int> vocab, IReadOnlyList<(string Left, string Right)> merges)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(merges);
        _vocab = new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        int maxId = _vocab.Count == 0 ? -1 : _vocab.Values.Max();
        _idToToken = new string[maxId + 1];
        foreach (var (token, id) in _vocab)
        {
            _idToToken[id] = token;
        }

        _charIds = new Dictionary<char, int>();
        foreach (var (token, id) in _vocab)
        {
            if (token.Length == 1)
            {
                _charIds[token[0]] = id;
            }
        }

        _merges = new Dictionary<long, Merge>(merges.Count);
        for (int rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = merges[rank];
            int l = Id(left, rank);
            int r = Id(right, rank);
            int merged = Id(left + right, rank);
            _merges.TryAdd(Key(l, r), new Merge(rank, merged));
        }
    }

    /// <summary>Number of entries in the vocabulary.</summary>
    public int VocabularySize => _vocab.Count;

    /// <summary>Number of merge rules.</summary>
    public int MergeCount => _merges.Count;

    /// <summary>The id of a token string, if it is in the vocabulary.</summary>
    public bool TryGetId(string token, out int id) => _vocab.TryGetValue(token, out id);

    /// <summary>The token string of an id, or null.</summary>
    public string? TokenOf(int id) => id >= 0 && id < _idToToken.Length ? _idToToken[id] : null;

    /// <summary>Encodes one byte-level word, appending its ids.</summary>
    /// <exception cref="TokenizerException">When a character of the word has no vocabulary entry (no byte fallback).</exception>
    public void EncodeWord(string word, List<int> ids)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(ids);
        if (_vocab.TryGetValue(word, out int whole) && word.Length == 1)
        {
            ids.Add(whole);
            return;
        }

        int[]? cached;
        lock (_cacheLock)
        {
            _cache.TryGetValue(word, out cached);
        }

        if (cached is null)
        {
            cached = MergeWord(word);
            lock (_cacheLock)
            {
                if (_cache.Count >= CacheCapacity)
                {
                    _cache.Clear();
                }

                _cache[word] = cached;
            }
        }

        ids.AddRange(cached);
    }

    private int[] MergeWord(string word)
    {
        int n = word.Length;
        var symbols = new int[n];
        var next = new int[n];
        var prev = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (!_charIds.TryGetValue(word[i], out symbols[i]))
            {
                throw new TokenizerException($"the character U+{(int)word[i]:X4} has no vocabulary entry and the model has no byte fallback.");
            }

            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }

        // Candidate merges ordered by (rank, position): the leftmost of equally ranked pairs merges first, as in the
        // reference. Entries go stale when a neighbour merges; they are re-validated when popped.
        var queue = new PriorityQueue<(int Position, int Left, int Right), (int Rank, int Position)>();
        for (int i = 0; i + 1 < n; i++)
        {
            Enqueue(queue, i, symbols[i], symbols[i + 1]);
        }

        var alive = new bool[n];
        Array.Fill(alive, true);
        while (queue.TryDequeue(out var item, out _))
        {
            int i = item.Position;
            int j = next[i];
            if (!alive[i] || j < 0 || symbols[i] != item.Left || symbols[j] != item.Right)
            {
                continue;
            }

            symbols[i] = _merges[Key(item.Left, item.Right)].Id;
            alive[j] = false;
            next[i] = next[j];
            if (next[j] >= 0)
            {
                prev[next[j]] = i;
            }

            if (prev[i] >= 0)
            {
                Enqueue(queue, prev[i], symbols[prev[i]], symbols[i]);
            }

            if (next[i] >= 0)
            {
                Enqueue(queue, i, symbols[i], symbols[next[i]]);
            }
        }

        var result = new List<int>(n);
        for (int i = 0; i >= 0; i = next[i])
        {
            result.Add(symbols[i]);
        }

        return [.. result];
    }

    private void Enqueue(PriorityQueue<(int, int, int), (int, int)> queue, int position, int left, int right)
    {
        if (_merges.TryGetValue(Key(left, right), out Merge merge))
        {
            queue.Enqueue((position, left, right), (merge.Rank, position));
        }
    }

    private int Id(string token, int rank)
        => _vocab.TryGetValue(token, out int id)
            ? id
            : throw new TokenizerException($"merge #{rank} refers to '{token}', which is not in the vocabulary.");

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    private readonly record struct Merge(int Rank, int Id);
}
