namespace ZImageSharp.Pipelines;

/// <summary>A progress report: the stage, the denoising step (1-based, 0 outside the loop) and the time since the start.</summary>
public readonly record struct GenerationProgress(GenerationStage Stage, int Step, int TotalSteps, TimeSpan Elapsed);
