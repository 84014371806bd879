using System.Text.Json;

namespace ZImageSharp.IO.Checkpoints;

/// <summary>
/// Finds the checkpoints of a model folder: a diffusers layout (<c>model_index.json</c> plus one folder per component,
/// each with a single file or a shard index), a folder holding one checkpoint, or a plain folder of <c>.safetensors</c> files.
/// </summary>
public static class ModelFolder
{
    /// <summary>The file that marks a diffusers pipeline folder.</summary>
    public const string ModelIndexFile = "model_index.json";

    /// <summary>The components of <paramref name="folder"/>, sorted by name.</summary>
    /// <exception cref="CheckpointException">When the folder is missing, holds no checkpoint, or <c>model_index.json</c> is malformed.</exception>
    public static IReadOnlyList<ModelComponent> FindComponents(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
        {
            throw new CheckpointException(folder, null, "no such folder.");
        }

        string modelIndex = Path.Combine(folder, ModelIndexFile);
        if (File.Exists(modelIndex))
        {
            return FromModelIndex(folder, modelIndex);
        }

        // A plain folder of several files (no index) lists each file; otherwise the folder is one checkpoint.
        string[] files = Directory.GetFiles(folder, "*.safetensors");
        if (files.Length > 1 && Directory.GetFiles(folder, "*" + CheckpointOpener.IndexSuffix).Length == 0)
        {
            Array.Sort(files, StringComparer.Ordinal);
            return [.. files.Select(f => new ModelComponent(Path.GetFileNameWithoutExtension(f), f, null))];
        }

        string? checkpoint = CheckpointOpener.FindCheckpointFile(folder)
            ?? throw new CheckpointException(folder, null, $"the folder holds no .safetensors file, no shard index and no {ModelIndexFile}.");
        return [new ModelComponent(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))), checkpoint, null)];
    }

    private static List<ModelComponent> FromModelIndex(string folder, string modelIndex)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(modelIndex));
        }
        catch (JsonException e)
        {
            throw new CheckpointException(modelIndex, null, $"not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CheckpointException(modelIndex, null, "not a JSON object.");
            }

            var components = new List<ModelComponent>();
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                // Components are ["library", "ClassName"] pairs; "_class_name" and friends are pipeline attributes.
                if (property.Name.StartsWith('_') || property.Value.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                string componentFolder = Path.Combine(folder, property.Name);
                string? checkpoint = Directory.Exists(componentFolder) ? CheckpointOpener.FindCheckpointFile(componentFolder) : null;
                if (checkpoint is not null)
                {
                    components.Add(new ModelComponent(property.Name, checkpoint, ClassName(property.Value)));
                }
            }

            if (components.Count == 0)
            {
                throw new CheckpointException(folder, null, $"none of the components named by {ModelIndexFile} has a .safetensors checkpoint.");
            }

            components.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return components;
        }
    }

    private static string? ClassName(JsonElement pair) =>
        pair.GetArrayLength() == 2 && pair[1].ValueKind == JsonValueKind.String ? pair[1].GetString() : null;
}
