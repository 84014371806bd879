using ZImageSharp.IO.Checkpoints;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.Pipelines.Loading;

namespace ZImageSharp.Cli.Commands.Info;

/// <summary>Everything <c>zimage info</c> prints, gathered from checkpoint headers.</summary>
/// <param name="Path">What the user named.</param>
/// <param name="Components">One entry per checkpoint, sorted by name.</param>
/// <param name="Totals">Counts over all components.</param>
/// <param name="ZImage">The Z-Image view of the checkpoint (diffusers names, formats, problems), or null when it is not one.</param>
internal sealed record InfoReport(string Path, IReadOnlyList<ComponentReport> Components, TensorTotals Totals, ZImageSummary? ZImage)
{
    /// <summary>Reads the headers under <paramref name="path"/>: a file, a shard index, or a model folder (any layout).</summary>
    /// <exception cref="CheckpointException">For a missing path or an invalid checkpoint.</exception>
    public static InfoReport Build(string path)
    {
        bool folder = Directory.Exists(path);
        if (!folder && !File.Exists(path))
        {
            throw new CheckpointException(path, null, "no such file or folder.");
        }

        // A plain file is listed first, so a malformed one fails with the same message as before any Z-Image analysis.
        List<ComponentReport> reports = folder ? [] : [Describe(new ModelComponent(System.IO.Path.GetFileName(path), path, null))];
        ZImageSummary? zimage = ZImageSummary.TryBuild(path);
        if (folder)
        {
            // Single-file folders (ComfyUI) list the recognised files; other folders as ModelFolder finds them.
            IReadOnlyList<ModelComponent> components = zimage is { Layout: CheckpointLayout.SingleFiles }
                ? [.. zimage.Components.Select(c => new ModelComponent(c.Kind.FolderName(), c.CheckpointPath, null))]
                : ModelFolder.FindComponents(path);
            reports.AddRange(components.Select(Describe));
        }

        return new InfoReport(path, reports, TensorTotals.Sum([.. reports.Select(r => r.Totals)]), zimage);
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
