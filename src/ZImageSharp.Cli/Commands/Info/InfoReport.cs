using ZImageSharp.IO.Checkpoints;
using ZImageSharp.IO.Safetensors;

namespace ZImageSharp.Cli.Commands.Info;

/// <summary>Everything <c>zimage info</c> prints, gathered from checkpoint headers.</summary>
/// <param name="Path">What the user named.</param>
/// <param name="Components">One entry per checkpoint, sorted by name.</param>
/// <param name="Totals">Counts over all components.</param>
internal sealed record InfoReport(string Path, IReadOnlyList<ComponentReport> Components, TensorTotals Totals)
{
    /// <summary>Reads the headers under <paramref name="path"/>: a file, a shard index, or a model folder.</summary>
    /// <exception cref="CheckpointException">For a missing path or an invalid checkpoint.</exception>
    public static InfoReport Build(string path)
    {
        IReadOnlyList<ModelComponent> components = Directory.Exists(path)
            ? ModelFolder.FindComponents(path)
            : [new ModelComponent(System.IO.Path.GetFileName(path), path, null)];
        List<ComponentReport> reports = [.. components.Select(Describe)];
        return new InfoReport(path, reports, TensorTotals.Sum([.. reports.Select(r => r.Totals)]));
    }

    private static ComponentReport Describe(ModelComponent component)
    {
        using ITensorSource source = CheckpointOpener.Open(component.CheckpointPath);
        TensorInfo[] tensors = [.. source.Names.Select(source.Info)];
        IReadOnlyList<string> files = source is SafetensorsShardSet set ? [.. set.Shards.Select(s => s.FilePath)] : [source.SourcePath];
        return new ComponentReport(
            component.Name,
            component.ClassName,
            source.SourcePath,
            files,
            tensors,
            [.. source.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal)],
            TensorTotals.Of(tensors));
    }
}
