namespace ZImageSharp.Pipelines.Loading;

/// <summary>Why a component of a Z-Image checkpoint could not be used: it is missing, or its file holds something else.</summary>
/// <param name="Kind">The component.</param>
/// <param name="Path">Where it was looked for, or the file that was found but is not that component.</param>
/// <param name="Problem">What is wrong and what was looked for, as one sentence without the final period.</param>
public sealed record ComponentProblem(ZImageComponentKind Kind, string Path, string Problem)
{
    /// <summary>Reads like <c>text encoder: /m/text_encoder: no such folder (model_index.json lists Qwen3Model)</c>.</summary>
    public override string ToString() => $"{Kind.Description()}: {Path}: {Problem}";
}
