namespace ZImageSharp.IO.Checkpoints;

/// <summary>One weight-bearing part of a model folder.</summary>
/// <param name="Name">Component name: the diffusers folder (<c>transformer</c>, <c>vae</c>, ...) or a file name without extension.</param>
/// <param name="CheckpointPath">The file to open with <see cref="CheckpointOpener.Open"/>: a <c>.safetensors</c> file or a shard index.</param>
/// <param name="ClassName">The class <c>model_index.json</c> names for it (e.g. <c>ZImageTransformer2DModel</c>), or null.</param>
public sealed record ModelComponent(string Name, string CheckpointPath, string? ClassName);
