using System.Text.Json;
using ZImageSharp.Pipelines.Loading;

namespace ZImageSharp.Cli.Commands.Info;

/// <summary>
/// Writes a <see cref="ZImageSummary"/> as the <c>"zimage"</c> object of <c>zimage info --json</c>:
/// <c>{"root", "layout", "pipeline_class", "components": [{"kind", "format", "files", "config", "stored_tensors",
/// "totals", "skipped": [{"name", "reason"}], "unexpected"}], "problems": [{"kind", "path", "problem"}], "tokenizer",
/// "tokenizer_search_paths", "scheduler_config", "ignored_files", "totals"}</c>.
/// </summary>
internal static class ZImageJsonFormatter
{
    public static void Write(Utf8JsonWriter json, ZImageSummary summary, Action<Utf8JsonWriter, TensorTotals> writeTotals)
    {
        json.WriteStartObject("zimage");
        json.WriteString("root", summary.Root);
        json.WriteString("layout", summary.Layout == CheckpointLayout.Diffusers ? "diffusers" : "single_files");
        json.WriteString("pipeline_class", summary.PipelineClass);
        json.WriteStartArray("components");
        foreach (ZImageComponentSummary c in summary.Components)
        {
            json.WriteStartObject();
            json.WriteString("kind", c.Kind.FolderName());
            json.WriteString("format", c.Format.ToString());
            Strings(json, "files", c.Files);
            json.WriteString("config", c.ConfigPath);
            json.WriteNumber("stored_tensors", c.StoredTensors);
            writeTotals(json, c.Totals);
            json.WriteStartArray("skipped");
            foreach (SkippedTensor s in c.Skipped)
            {
                json.WriteStartObject();
                json.WriteString("name", s.Name);
                json.WriteString("reason", s.Reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            Strings(json, "unexpected", c.Unexpected);
            if (c.Check is { } check)
            {
                json.WriteStartObject("model_check");
                json.WriteString("error", check.Error);
                Strings(json, "missing", check.Report?.Missing ?? []);
                Strings(json, "wrong_shape", check.Report?.Mismatched ?? []);
                Strings(json, "unused", check.Report?.Unused ?? []);
                json.WriteBoolean("complete", check.Report?.IsExact == true);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("problems");
        foreach (ComponentProblem p in summary.Problems)
        {
            json.WriteStartObject();
            json.WriteString("kind", p.Kind.FolderName());
            json.WriteString("path", p.Path);
            json.WriteString("problem", p.Problem);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("tokenizer", summary.TokenizerPath);
        Strings(json, "tokenizer_search_paths", summary.TokenizerSearchPaths);
        json.WriteString("scheduler_config", summary.SchedulerConfigPath);
        Strings(json, "ignored_files", summary.IgnoredFiles);
        writeTotals(json, summary.Totals);
        json.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
