namespace ZImageSharp.Tokenizers;

/// <summary>A token matched verbatim in the input before normalisation and BPE (special tokens such as &lt;|im_end|&gt;).</summary>
/// <param name="Id">Vocabulary id.</param>
/// <param name="Content">The exact text that produces it.</param>
/// <param name="Special">Whether decoding with skipSpecialTokens drops it.</param>
/// <param name="SingleWord">Match only when not inside a word.</param>
/// <param name="LStrip">Whitespace before the match belongs to the token.</param>
/// <param name="RStrip">Whitespace after the match belongs to the token.</param>
/// <param name="Normalized">Match in the normalised text instead of the raw text.</param>
public sealed record AddedToken(int Id, string Content, bool Special, bool SingleWord = false, bool LStrip = false, bool RStrip = false, bool Normalized = false);
