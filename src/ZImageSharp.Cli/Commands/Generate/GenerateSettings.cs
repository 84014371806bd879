namespace ZImageSharp.Cli.Commands.Generate;

/// <summary>The parsed <c>zimage generate</c> command line.</summary>
/// <param name="Request">What to generate; width/height are already defaulted for the model kind.</param>
/// <param name="ModelPath">The checkpoint folder, or null for the built-in demo model.</param>
/// <param name="TokenizerPath">A tokenizer.json overriding the checkpoint's, or null.</param>
/// <param name="Output">The --out path, or null for zimage-SEED.png.</param>
/// <param name="Device">cpu, cuda or auto.</param>
/// <param name="Threads">CPU threads, or null for all cores.</param>
/// <param name="Quiet">No progress display.</param>
internal sealed record GenerateSettings(
    Pipelines.GenerationRequest Request,
    string? ModelPath,
    string? TokenizerPath,
    string? Output,
    string Device,
    int? Threads,
    bool Quiet)
{
    /// <summary>Default edge for the demo model: big enough to see, small enough for seconds on a laptop.</summary>
    public const int DemoSize = 256;

    /// <summary>Default edge for real checkpoints (Z-Image-Turbo is trained around 1 megapixel).</summary>
    public const int ModelSize = 1024;
}
