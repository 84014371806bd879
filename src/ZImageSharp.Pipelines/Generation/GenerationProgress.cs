namespace ZImageSharp.Pipelines;

/// <summary>
/// A progress report: the stage entered, and while denoising the steps completed so far. The denoising stage reports
/// (0, N) when it starts and (i, N) after step i; every other stage reports once, when it starts.
/// </summary>
/// <param name="Stage">The current stage.</param>
/// <param name="Step">Denoising steps completed (0 outside the loop).</param>
/// <param name="TotalSteps">Transformer forwards the loop will run (0 before the loop).</param>
/// <param name="Elapsed">Time since the request started.</param>
public readonly record struct GenerationProgress(GenerationStage Stage, int Step, int TotalSteps, TimeSpan Elapsed);
