namespace ZImageSharp.Pipelines;

/// <summary>One generated image: 8-bit RGB, row-major, 3 bytes per pixel.</summary>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="Rgb">Width·Height·3 bytes.</param>
public sealed record GeneratedImage(int Width, int Height, byte[] Rgb);

/// <summary>The images of a request and how they were made.</summary>
public sealed record GenerationResult
{
    /// <summary>The images, in generation order.</summary>
    public required IReadOnlyList<GeneratedImage> Images { get; init; }

    /// <summary>The seed used (the request's or the one drawn).</summary>
    public required ulong Seed { get; init; }

    /// <summary>The request as executed.</summary>
    public required GenerationRequest Request { get; init; }

    /// <summary>Wall time per stage.</summary>
    public required IReadOnlyDictionary<GenerationStage, TimeSpan> Timings { get; init; }

    /// <summary>Notices for the user (e.g. a truncated prompt).</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Transformer forwards run.</summary>
    public required int Forwards { get; init; }

    /// <summary>Tokens of the templated prompt the text encoder saw (the transformer's caption length before padding).</summary>
    public int PromptTokens { get; init; }
}
