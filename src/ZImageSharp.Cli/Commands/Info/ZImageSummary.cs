using ZImageSharp.IO.Checkpoints;
using ZImageSharp.Pipelines.Loading;

namespace ZImageSharp.Cli.Commands.Info;

/// <summary>One Z-Image component as the models will see it (diffusers names), and what its file held besides.</summary>
/// <param name="Kind">Which component.</param>
/// <param name="Format">The naming convention found in the file.</param>
/// <param name="CheckpointPath">The file opened: a .safetensors file or a shard index.</param>
/// <param name="Files">The safetensors files.</param>
/// <param name="ConfigPath">The component's config.json, or null.</param>
/// <param name="StoredTensors">How many tensors the files hold.</param>
/// <param name="Totals">Counts over the presented (mapped) tensors.</param>
/// <param name="Skipped">Stored tensors left out on purpose.</param>
/// <param name="Unexpected">Stored names no rule recognises.</param>
/// <param name="Check">The component checked against its model (missing, misshapen, unused tensors), or null.</param>
internal sealed record ZImageComponentSummary(
    ZImageComponentKind Kind,
    CheckpointFormat Format,
    string CheckpointPath,
    IReadOnlyList<string> Files,
    string? ConfigPath,
    int StoredTensors,
    TensorTotals Totals,
    IReadOnlyList<SkippedTensor> Skipped,
    IReadOnlyList<string> Unexpected,
    ComponentCheck? Check)
{
    /// <summary>The component's summary, from headers only.</summary>
    public static ZImageComponentSummary Of(ZImageComponent component, ComponentCheck? check)
    {
        ITensorSource source = component.Source;
        TensorInfo[] presented = [.. source.Names.Select(source.Info)];
        return new ZImageComponentSummary(component.Kind, component.Format, component.CheckpointPath, component.Files, component.ConfigPath, component.StoredNames.Count, TensorTotals.Of(presented), component.Skipped, component.Unexpected, check);
    }
}

/// <summary>What <c>zimage info</c> adds for a Z-Image checkpoint: each component under the names the models load.</summary>
/// <param name="Root">The folder (or file) inspected.</param>
/// <param name="IsFolder">False when a single file was inspected: the other components are then not expected.</param>
/// <param name="Layout">How the files are arranged.</param>
/// <param name="PipelineClass">model_index.json's <c>_class_name</c>, or null.</param>
/// <param name="Components">The components found, in pipeline order.</param>
/// <param name="Problems">Missing components, or files holding something else.</param>
/// <param name="TokenizerPath">The tokenizer.json found, or null.</param>
/// <param name="TokenizerSearchPaths">Where it was looked for.</param>
/// <param name="SchedulerConfigPath">The scheduler config, or null.</param>
/// <param name="IgnoredFiles">Safetensors files that are no Z-Image component.</param>
internal sealed record ZImageSummary(
    string Root,
    bool IsFolder,
    CheckpointLayout Layout,
    string? PipelineClass,
    IReadOnlyList<ZImageComponentSummary> Components,
    IReadOnlyList<ComponentProblem> Problems,
    string? TokenizerPath,
    IReadOnlyList<string> TokenizerSearchPaths,
    string? SchedulerConfigPath,
    IReadOnlyList<string> IgnoredFiles)
{
    /// <summary>Counts over every component's presented tensors.</summary>
    public TensorTotals Totals => TensorTotals.Sum([.. Components.Select(c => c.Totals)]);

    /// <summary>
    /// The summary of <paramref name="path"/>, or null when it is not a Z-Image checkpoint: a folder whose
    /// model_index.json names another pipeline, or a folder or file where no component is recognised.
    /// </summary>
    /// <exception cref="CheckpointException">For an unreadable file or two files holding one component.</exception>
    public static ZImageSummary? TryBuild(string path)
    {
        using ZImageCheckpoint checkpoint = ZImageCheckpoint.Inspect(path);
        bool isZImage = checkpoint.PipelineClassName is string pipeline
            ? pipeline.StartsWith("ZImage", StringComparison.Ordinal)
            : checkpoint.Components.Count > 0;
        if (!isZImage)
        {
            return null;
        }

        bool folder = Directory.Exists(path);
        IReadOnlyDictionary<ZImageComponentKind, ComponentCheck> checks = ZImageComponentLoader.Inspect(checkpoint);
        return new ZImageSummary(
            path,
            folder,
            checkpoint.Layout,
            checkpoint.PipelineClassName,
            [.. checkpoint.Components.Select(c => ZImageComponentSummary.Of(c, checks.GetValueOrDefault(c.Kind)))],
            folder ? checkpoint.Problems : [],
            checkpoint.TokenizerPath,
            checkpoint.TokenizerSearchPaths,
            checkpoint.SchedulerConfigPath,
            checkpoint.IgnoredFiles);
    }
}
