using System.Text.Json;
using ZImageSharp.IO.Checkpoints;

namespace ZImageSharp.Pipelines.Loading;

/// <summary>
/// A diffusers pipeline folder (spec 6.1): <c>model_index.json</c>, <c>transformer/</c>, <c>text_encoder/</c>,
/// <c>vae/</c> (each a <c>config.json</c> and one file or a shard index), <c>tokenizer/</c>, <c>scheduler/</c>.
/// The folders are looked at whatever <c>model_index.json</c> lists; the tensor names must confirm each component.
/// </summary>
internal static class DiffusersLayout
{
    /// <summary>The file that marks the layout.</summary>
    public const string ModelIndexFile = ModelFolder.ModelIndexFile;

    /// <summary>True when <paramref name="folder"/> holds <c>model_index.json</c>.</summary>
    public static bool Is(string folder) => File.Exists(Path.Combine(folder, ModelIndexFile));

    /// <summary>Opens and maps what the folder holds; problems are recorded, not thrown.</summary>
    /// <exception cref="CheckpointException">For a malformed <c>model_index.json</c> or an unreadable checkpoint.</exception>
    public static Discovery Discover(string folder)
    {
        (string? pipeline, Dictionary<string, string?> classes) = ReadModelIndex(Path.Combine(folder, ModelIndexFile));
        var found = new Discovery(CheckpointLayout.Diffusers, folder) { PipelineClassName = pipeline };
        try
        {
            foreach (ZImageComponentKind kind in ZImageComponentKinds.All)
            {
                AddComponent(found, kind, classes.GetValueOrDefault(kind.FolderName()));
            }
        }
        catch
        {
            found.DisposeComponents();
            throw;
        }

        found.TokenizerCandidates.Add(Path.Combine(folder, "tokenizer", "tokenizer.json"));
        string scheduler = Path.Combine(folder, "scheduler", "scheduler_config.json");
        found.SchedulerConfigPath = File.Exists(scheduler) ? scheduler : null;
        return found;
    }

    private static void AddComponent(Discovery found, ZImageComponentKind kind, string? className)
    {
        string folder = Path.Combine(found.Root, kind.FolderName());
        string listed = className is null ? $"{ModelIndexFile} does not list it" : $"{ModelIndexFile} lists {className}";
        if (!Directory.Exists(folder))
        {
            found.Problems.Add(new ComponentProblem(kind, folder, $"no such folder ({listed})"));
            return;
        }

        string? checkpoint = CheckpointOpener.FindCheckpointFile(folder);
        if (checkpoint is null)
        {
            found.Problems.Add(new ComponentProblem(kind, folder, $"the folder holds no .safetensors file and no shard index ({listed})"));
            return;
        }

        ITensorSource source = CheckpointOpener.Open(checkpoint);
        ZImageComponentKind? detected;
        try
        {
            detected = ComponentDetector.Detect(source);
        }
        catch
        {
            source.Dispose();
            throw;
        }

        if (detected != kind)
        {
            source.Dispose();
            string actual = detected is { } other ? $"they are those of a {other.Description()}" : "they match no Z-Image component";
            found.Problems.Add(new ComponentProblem(kind, checkpoint, $"the tensor names are not those of a Z-Image {kind.Description()} ({actual}); expected {ComponentDetector.Signature(kind)}"));
            return;
        }

        string config = Path.Combine(folder, "config.json");
        found.Components.Add(ZImageComponent.Create(kind, source, File.Exists(config) ? config : null, className));
    }

    /// <summary>The pipeline class and, per component key, the class it names (<c>["library", "Class"]</c> pairs).</summary>
    internal static (string? Pipeline, Dictionary<string, string?> Components) ReadModelIndex(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new CheckpointException(path, null, $"not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new CheckpointException(path, null, "not a JSON object.");
            }

            string? pipeline = root.TryGetProperty("_class_name", out JsonElement name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
            var components = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (JsonProperty property in root.EnumerateObject().Where(p => !p.Name.StartsWith('_') && p.Value.ValueKind == JsonValueKind.Array))
            {
                JsonElement pair = property.Value;
                components[property.Name] = pair.GetArrayLength() == 2 && pair[1].ValueKind == JsonValueKind.String ? pair[1].GetString() : null;
            }

            return (pipeline, components);
        }
    }
}
