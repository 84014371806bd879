using System.Globalization;
using System.Text;

namespace ZImageSharp.Tokenizers;

/// <summary>
/// The Qwen2/Qwen3 split pattern, matched by hand over Unicode scalar values:
/// <code>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</code>
/// </summary>
/// <remarks>
/// .NET's Regex classifies UTF-16 code units, so an astral-plane letter (e.g. U+1D400) would not match \p{L}; the
/// reference engines classify code points. This matcher tries the alternatives in order at each position (leftmost-
/// first, like the reference) with the same greedy/backtracking outcome, and \s is Unicode White_Space.
/// </remarks>
public sealed class Qwen2PreTokenizer : IPreTokenizer
{
    /// <summary>The pattern string as it appears in tokenizer.json.</summary>
    public const string Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <inheritdoc/>
    public void Split(string text, Action<int, int> onPiece)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(onPiece);
        int i = 0;
        while (i < text.Length)
        {
            int end = MatchAt(text, i);
            onPiece(i, end - i);
            i = end;
        }
    }

    /// <summary>End (exclusive, in UTF-16 units) of the match starting at <paramref name="i"/>; every position matches.</summary>
    private static int MatchAt(string s, int i)
    {
        Kind first = Classify(s, i, out int next);

        // 1. (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if (s[i] == '\'' && TryContraction(s, i + 1, out int contractionEnd))
        {
            return contractionEnd;
        }

        // 2. [^\r\n\p{L}\p{N}]?\p{L}+
        if (first == Kind.Letter)
        {
            return SkipLetters(s, next);
        }

        if (first is Kind.Other or Kind.Space && !IsNewline(s[i]) && next < s.Length && Classify(s, next, out int afterNext) == Kind.Letter)
        {
            return SkipLetters(s, afterNext);
        }

        // 3. \p{N}
        if (first == Kind.Number)
        {
            return next;
        }

        // 4. " ?[^\s\p{L}\p{N}]+[\r\n]*"
        int symbolStart = s[i] == ' ' && next < s.Length && Classify(s, next, out _) == Kind.Other ? next : i;
        if (Classify(s, symbolStart, out int afterSymbol) == Kind.Other)
        {
            int end = afterSymbol;
            while (end < s.Length && Classify(s, end, out int n) == Kind.Other)
            {
                end = n;
            }

            while (end < s.Length && IsNewline(s[end]))
            {
                end++;
            }

            return end;
        }

        // Only whitespace remains. 5. \s*[\r\n]+  -> up to the last newline of the whitespace run.
        int runEnd = i;
        int lastNewline = -1;
        while (runEnd < s.Length && Classify(s, runEnd, out int n) == Kind.Space)
        {
            if (IsNewline(s[runEnd]))
            {
                lastNewline = runEnd;
            }

            runEnd = n;
        }

        if (lastNewline >= 0)
        {
            return lastNewline + 1;
        }

        // 6. \s+(?!\S)  -> the whole run at the end of the text, else all but its last character (if that leaves one).
        if (runEnd == s.Length)
        {
            return runEnd;
        }

        int lastStart = PreviousStart(s, runEnd);
        if (lastStart > i)
        {
            return lastStart;
        }

        // 7. \s+
        return runEnd;
    }

    private enum Kind
    {
        Letter,
        Number,
        Space,
        Other,
    }

    private static Kind Classify(string s, int i, out int next)
    {
        Rune.DecodeFromUtf16(s.AsSpan(i), out Rune rune, out int consumed);
        next = i + Math.Max(consumed, 1);
        if (IsWhiteSpace(rune.Value))
        {
            return Kind.Space;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => Kind.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => Kind.Number,
            _ => Kind.Other,
        };
    }

    /// <summary>Unicode White_Space (what \s means in the reference engines).</summary>
    private static bool IsWhiteSpace(int cp) => cp switch
    {
        >= 0x09 and <= 0x0D => true,
        0x20 or 0x85 or 0xA0 or 0x1680 or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000 => true,
        >= 0x2000 and <= 0x200A => true,
        _ => false,
    };

    private static bool IsNewline(char c) => c is '\r' or '\n';

    private static int SkipLetters(string s, int i)
    {
        while (i < s.Length && Classify(s, i, out int n) == Kind.Letter)
        {
            i = n;
        }

        return i;
    }

    private static int PreviousStart(string s, int end)
        => end >= 2 && char.IsLowSurrogate(s[end - 1]) && char.IsHighSurrogate(s[end - 2]) ? end - 2 : end - 1;

    /// <summary>Case-insensitive 's 't 're 've 'm 'll 'd (tried in that order); 'ſ' (U+017F) folds to 's'.</summary>
    private static bool TryContraction(string s, int i, out int end)
    {
        end = i;
        if (i >= s.Length)
        {
            return false;
        }

        char a = Fold(s[i]);
        if (a is 's' or 't' or 'm' or 'd')
        {
            end = i + 1;
            return true;
        }

        if (i + 1 < s.Length)
        {
            char b = Fold(s[i + 1]);
            if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l'))
            {
                end = i + 2;
                return true;
            }
        }

        return false;
    }

    private static char Fold(char c) => c switch
    {
        >= 'A' and <= 'Z' => (char)(c + 32),
        '\u017F' => 's',
        _ => c,
    };
}
