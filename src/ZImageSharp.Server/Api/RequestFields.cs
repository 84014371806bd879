namespace ZImageSharp.Server.Api;

/// <summary>A generation request as a client sent it (either API), before defaults and limits.</summary>
/// <param name="Prompt">The prompt.</param>
/// <param name="NegativePrompt">The negative prompt (used with guidance &gt; 0).</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Steps">Denoising steps.</param>
/// <param name="GuidanceScale">Classifier-free guidance scale.</param>
/// <param name="Seed">The seed; null or -1 for a random one.</param>
/// <param name="Count">Images for the prompt.</param>
/// <param name="CountField">The name the client used for <paramref name="Count"/> (<c>count</c>, or OpenAI's <c>n</c>).</param>
internal sealed record RequestFields(string? Prompt, string? NegativePrompt, int? Width, int? Height, int? Steps, double? GuidanceScale, long? Seed, int? Count, string CountField = "count");
