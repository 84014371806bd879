using System.Globalization;
using System.Text;

namespace ZImageSharp.Tokenizers;

/// <summary>
/// Finds added tokens in text: leftmost match first and, among matches starting at the same place, the longest
/// (the reference's leftmost-longest Aho-Corasick search), honouring single_word, lstrip and rstrip.
/// </summary>
internal sealed class AddedVocabulary
{
    private readonly Dictionary<char, AddedToken[]> _byFirstChar;

    public AddedVocabulary(IEnumerable<AddedToken> tokens)
    {
        _byFirstChar = tokens
            .Where(t => t.Content.Length > 0)
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ToArray());
    }

    public bool IsEmpty => _byFirstChar.Count == 0;

    /// <summary>Splits <paramref name="text"/> into plain segments and matched tokens, in order.</summary>
    public void Split(string text, List<Segment> output)
    {
        int plainStart = 0;
        int i = 0;
        while (i < text.Length)
        {
            if (TryMatchAt(text, i, out AddedToken? token, out int start, out int end))
            {
                // lstrip never reaches back into the previous match.
                start = Math.Max(start, plainStart);
                if (start > plainStart)
                {
                    output.Add(new Segment(text[plainStart..start], null));
                }

                output.Add(new Segment(token.Content, token));
                plainStart = end;
                i = end;
                continue;
            }

            i++;
        }

        if (plainStart < text.Length)
        {
            output.Add(new Segment(text[plainStart..], null));
        }
    }

    private bool TryMatchAt(string text, int i, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AddedToken? token, out int start, out int end)
    {
        token = null;
        start = end = i;
        if (!_byFirstChar.TryGetValue(text[i], out AddedToken[]? candidates))
        {
            return false;
        }

        foreach (AddedToken candidate in candidates)
        {
            if (string.CompareOrdinal(text, i, candidate.Content, 0, candidate.Content.Length) != 0)
            {
                continue;
            }

            int stop = i + candidate.Content.Length;
            if (candidate.SingleWord && ((i > 0 && IsWordChar(text, i - 1)) || (stop < text.Length && IsWordChar(text, stop))))
            {
                continue;
            }

            start = i;
            end = stop;
            if (candidate.LStrip)
            {
                while (start > 0 && char.IsWhiteSpace(text[start - 1]))
                {
                    start--;
                }
            }

            if (candidate.RStrip)
            {
                while (end < text.Length && char.IsWhiteSpace(text[end]))
                {
                    end++;
                }
            }

            token = candidate;
            return true;
        }

        return false;
    }

    private static bool IsWordChar(string text, int i)
    {
        Rune.DecodeFromUtf16(text.AsSpan(i), out Rune r, out _);
        UnicodeCategory c = Rune.GetUnicodeCategory(r);
        return Rune.IsLetterOrDigit(r) || c == UnicodeCategory.ConnectorPunctuation;
    }

    /// <summary>A piece of the input: plain text, or the text of a matched added token.</summary>
    internal readonly record struct Segment(string Text, AddedToken? Token);
}
