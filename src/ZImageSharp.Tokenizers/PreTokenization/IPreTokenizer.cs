namespace ZImageSharp.Tokenizers;

/// <summary>Splits normalised text into the pieces BPE encodes independently ("words").</summary>
public interface IPreTokenizer
{
    /// <summary>Calls <paramref name="onPiece"/> with (start, length) of each piece, in order; pieces cover the text.</summary>
    void Split(string text, Action<int, int> onPiece);
}
