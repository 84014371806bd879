using ZImageSharp.IO.Checkpoints;

namespace ZImageSharp.Cli.Commands.Info;

/// <summary>What one checkpoint (a file or a shard set) of a model holds.</summary>
/// <param name="Name">Component name (diffusers folder, or file name without extension).</param>
/// <param name="ClassName">Class named by <c>model_index.json</c>, if any.</param>
/// <param name="Source">The file that was opened (a .safetensors file or a shard index).</param>
/// <param name="Files">The safetensors files holding the data.</param>
/// <param name="Tensors">Header facts, sorted by name.</param>
/// <param name="Metadata">Checkpoint metadata, sorted by key.</param>
/// <param name="Totals">Counts over <paramref name="Tensors"/>.</param>
internal sealed record ComponentReport(
    string Name,
    string? ClassName,
    string Source,
    IReadOnlyList<string> Files,
    IReadOnlyList<TensorInfo> Tensors,
    IReadOnlyList<KeyValuePair<string, string>> Metadata,
    TensorTotals Totals)
{
    /// <summary>True when the data is spread over several shard files.</summary>
    public bool IsSharded => Source.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
}
