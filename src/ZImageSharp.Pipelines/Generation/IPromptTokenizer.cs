using ZImageSharp.Tokenizers;

namespace ZImageSharp.Pipelines;

/// <summary>Turns a user prompt into the token ids the text encoder reads (template applied, truncated).</summary>
public interface IPromptTokenizer
{
    /// <summary>The ids of <paramref name="prompt"/> after templating, cut to <paramref name="maxLength"/>.</summary>
    PromptTokens Encode(string prompt, int maxLength);
}

/// <summary>The Z-Image prompt tokenizer: the Qwen3 chat template, then byte-level BPE.</summary>
/// <param name="tokenizer">The tokenizer of the text encoder.</param>
public sealed class ChatPromptTokenizer(BpeTokenizer tokenizer) : IPromptTokenizer
{
    /// <summary>The underlying tokenizer.</summary>
    public BpeTokenizer Tokenizer { get; } = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));

    /// <inheritdoc/>
    public PromptTokens Encode(string prompt, int maxLength) => Qwen3ChatTemplate.Encode(Tokenizer, prompt, maxLength);
}
