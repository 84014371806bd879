namespace ZImageSharp.Tokenizers;

/// <summary>
/// The one chat-template rendering the Z-Image pipeline uses: a single user message with the generation prompt,
/// <c>apply_chat_template([{"role": "user", "content": prompt}], add_generation_prompt=True, enable_thinking=True)</c>
/// of the Qwen3 template. With thinking enabled the template adds no &lt;think&gt; block, so the result is
/// <c>&lt;|im_start|&gt;user\n{prompt}&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n</c>.
/// </summary>
public static class Qwen3ChatTemplate
{
    /// <summary>The longest token sequence Z-Image feeds the text encoder (template included).</summary>
    public const int ZImageMaxLength = 512;

    /// <summary>The templated text for one user prompt.</summary>
    public static string FormatUserPrompt(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return "<|im_start|>user\n" + prompt + "<|im_end|>\n<|im_start|>assistant\n";
    }

    /// <summary>Templates and tokenizes a prompt, keeping the first <paramref name="maxLength"/> ids like the pipeline's
    /// <c>truncation=True</c> (so a very long prompt loses the template's end).</summary>
    public static PromptTokens Encode(BpeTokenizer tokenizer, string prompt, int maxLength = ZImageMaxLength)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        int[] ids = tokenizer.Encode(FormatUserPrompt(prompt));
        return new PromptTokens(ids.Length > maxLength ? ids[..maxLength] : ids, ids.Length);
    }
}
