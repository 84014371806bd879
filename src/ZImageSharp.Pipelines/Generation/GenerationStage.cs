namespace ZImageSharp.Pipelines;

/// <summary>The stages of one generation, in order.</summary>
public enum GenerationStage
{
    /// <summary>Tokenizing and running the text encoder.</summary>
    EncodingPrompt,

    /// <summary>Drawing the initial noise.</summary>
    PreparingLatents,

    /// <summary>The transformer loop (<see cref="GenerationProgress.Step"/> counts forwards).</summary>
    Denoising,

    /// <summary>VAE decoding and conversion to 8-bit RGB.</summary>
    Decoding,

    /// <summary>Finished.</summary>
    Done,
}
