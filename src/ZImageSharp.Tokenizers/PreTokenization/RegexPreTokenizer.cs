using System.Text.RegularExpressions;

namespace ZImageSharp.Tokenizers;

/// <summary>
/// A Split pre-tokenizer with "Isolated" behaviour for patterns without a hand-written matcher: every match and every
/// gap between matches is a piece.
/// </summary>
/// <remarks>.NET's Regex classifies UTF-16 code units, so classes like \p{L} do not match astral-plane characters;
/// patterns of the models ZImageSharp ships have exact matchers (<see cref="Qwen2PreTokenizer"/>).</remarks>
public sealed class RegexPreTokenizer : IPreTokenizer
{
    private readonly Regex _regex;

    /// <summary>Compiles <paramref name="pattern"/>.</summary>
    /// <exception cref="TokenizerException">When .NET cannot parse the pattern.</exception>
    public RegexPreTokenizer(string pattern)
    {
        try
        {
            _regex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);
        }
        catch (ArgumentException e)
        {
            throw new TokenizerException($"the pre-tokenizer regex cannot be compiled: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public void Split(string text, Action<int, int> onPiece)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(onPiece);
        int last = 0;
        for (Match m = _regex.Match(text); m.Success; m = m.NextMatch())
        {
            if (m.Length == 0)
            {
                continue;
            }

            if (m.Index > last)
            {
                onPiece(last, m.Index - last);
            }

            onPiece(m.Index, m.Length);
            last = m.Index + m.Length;
        }

        if (last < text.Length)
        {
            onPiece(last, text.Length - last);
        }
    }
}
