using System.Globalization;
using ZImageSharp.Pipelines.Loading;

namespace ZImageSharp.Cli.Commands.Info;

/// <summary>Prints a <see cref="ZImageSummary"/>: per component its format, files, counts and anything odd about its names.</summary>
internal static class ZImageTextFormatter
{
    private const int ListedNames = 10;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Write(ZImageSummary summary, TextWriter output)
    {
        string layout = summary.Layout == CheckpointLayout.Diffusers
            ? $"diffusers folder{(summary.PipelineClass is null ? string.Empty : $" ({summary.PipelineClass})")}"
            : summary.IsFolder ? "single files" : "single file";
        output.WriteLine($"z-image checkpoint, {layout}: {summary.Root}");
        foreach (ZImageComponentSummary component in summary.Components)
        {
            WriteComponent(component, output);
        }

        foreach (ComponentProblem problem in summary.Problems)
        {
            output.WriteLine($"{problem.Kind.FolderName()}: MISSING: {problem.Path}: {problem.Problem}.");
        }

        if (summary.IsFolder)
        {
            output.WriteLine(summary.TokenizerPath is string tokenizer
                ? $"tokenizer: {tokenizer}"
                : $"tokenizer: not found (looked for {string.Join(", ", summary.TokenizerSearchPaths)})");
            output.WriteLine($"scheduler: {summary.SchedulerConfigPath ?? "no config (the Turbo defaults apply)"}");
            if (summary.IgnoredFiles.Count > 0)
            {
                output.WriteLine($"not z-image components: {string.Join(", ", summary.IgnoredFiles)}");
            }
        }

        TensorTotals totals = summary.Totals;
        output.WriteLine(string.Create(Invariant, $"z-image totals: {summary.Components.Count} of 3 components, {totals.Tensors:N0} tensors, {totals.Parameters:N0} parameters"));
    }

    private static void WriteComponent(ZImageComponentSummary c, TextWriter output)
    {
        string format = c.Format switch
        {
            CheckpointFormat.ComfyUI => "ComfyUI names mapped to diffusers",
            CheckpointFormat.Bfl => "BFL names mapped to diffusers",
            _ => "diffusers names",
        };
        string stored = c.StoredTensors == c.Totals.Tensors ? string.Empty : string.Create(Invariant, $"{c.StoredTensors:N0} stored → ");
        string dtypes = string.Join(", ", c.Totals.DTypes.Select(d => string.Create(Invariant, $"{d.Key} ({d.Value:N0})")));
        output.WriteLine(string.Create(Invariant, $"{c.Kind.FolderName()}: {format}; {stored}{c.Totals.Tensors:N0} tensors; {dtypes}; {c.Totals.Parameters:N0} parameters"));
        output.WriteLine($"  files: {string.Join(", ", c.Files)}");
        output.WriteLine($"  config: {c.ConfigPath ?? "none (the built-in preset applies)"}");
        foreach (SkippedTensor skipped in c.Skipped)
        {
            output.WriteLine($"  skipped: {skipped.Name} ({skipped.Reason})");
        }

        WriteCheck(c.Check, output);
        string more = c.Unexpected.Count > ListedNames ? $" and {c.Unexpected.Count - ListedNames} more" : string.Empty;
        output.WriteLine(c.Unexpected.Count == 0
            ? "  unexpected: none"
            : $"  unexpected: {c.Unexpected.Count} ({string.Join(", ", c.Unexpected.Take(ListedNames))}{more})");
    }

    private static void WriteCheck(ComponentCheck? check, TextWriter output)
    {
        if (check is null)
        {
            return;
        }

        if (check.Error is string error)
        {
            output.WriteLine($"  model check: not possible: {error}");
            return;
        }

        IO.Weights.WeightReport report = check.Report!;
        if (report.IsExact)
        {
            output.WriteLine("  model check: complete (every tensor the model needs is present with its shape; none unused)");
            return;
        }

        WriteList("missing", report.Missing, output);
        WriteList("wrong shape", report.Mismatched, output);
        WriteList("unused by the model", report.Unused, output);
    }

    private static void WriteList(string label, IReadOnlyList<string> names, TextWriter output)
    {
        if (names.Count == 0)
        {
            return;
        }

        string more = names.Count > ListedNames ? $" and {names.Count - ListedNames} more" : string.Empty;
        output.WriteLine($"  {label}: {names.Count} ({string.Join(", ", names.Take(ListedNames))}{more})");
    }
}
