using System.Text.Json;
using ZImageSharp.IO.Checkpoints;

namespace ZImageSharp.IO.Safetensors;

/// <summary>
/// The parsed <c>*.safetensors.index.json</c> of a shard set: <c>{"metadata": {...}, "weight_map": {"tensor": "shard file"}}</c>.
/// Read with <see cref="Utf8JsonReader"/> so a tensor listed twice is an error rather than silently the last entry.
/// </summary>
internal sealed class ShardIndex
{
    private ShardIndex(Dictionary<string, string> metadata, List<KeyValuePair<string, string>> weightMap)
    {
        Metadata = metadata;
        WeightMap = weightMap;
    }

    /// <summary>The <c>metadata</c> object; non-string values (e.g. <c>total_size</c>) as their JSON text.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Tensor name → shard file name, in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> WeightMap { get; }

    /// <exception cref="CheckpointException">When the file is missing, not JSON, or not shaped like an index.</exception>
    public static ShardIndex Read(string indexPath)
    {
        byte[] json;
        try
        {
            json = File.ReadAllBytes(indexPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CheckpointException(indexPath, null, "file not found.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(indexPath, null, $"cannot read the file: {e.Message}", e);
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        List<KeyValuePair<string, string>>? weightMap = null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Error(indexPath, "the shard index is not a JSON object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string key = reader.GetString()!;
                reader.Read();
                if (key == "weight_map")
                {
                    weightMap = weightMap is null ? ReadWeightMap(ref reader, indexPath) : throw Error(indexPath, "'weight_map' appears twice.");
                }
                else if (key == "metadata" && reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadMetadata(ref reader, metadata);
                }
                else
                {
                    reader.Skip();
                }
            }

            if (reader.Read())
            {
                throw Error(indexPath, "the shard index has content after its JSON object.");
            }
        }
        catch (JsonException e)
        {
            throw new CheckpointException(indexPath, null, $"the shard index is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new CheckpointException(indexPath, null, $"the shard index holds an invalid string: {e.Message}", e);
        }

        return new ShardIndex(metadata, weightMap ?? throw Error(indexPath, "the shard index has no 'weight_map'."));
    }

    private static List<KeyValuePair<string, string>> ReadWeightMap(ref Utf8JsonReader reader, string indexPath)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error(indexPath, "'weight_map' must be an object mapping tensor names to shard file names.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var map = new List<KeyValuePair<string, string>>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string tensor = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new CheckpointException(indexPath, tensor, "the weight_map value must be a shard file name (a string).");
            }

            if (!seen.Add(tensor))
            {
                throw new CheckpointException(indexPath, tensor, "the tensor is listed twice in weight_map (duplicate JSON key).");
            }

            map.Add(new(tensor, reader.GetString()!));
        }

        return map;
    }

    private static void ReadMetadata(ref Utf8JsonReader reader, Dictionary<string, string> metadata)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = reader.GetString()!;
            reader.Read();
            string value;
            if (reader.TokenType == JsonTokenType.String)
            {
                value = reader.GetString()!;
            }
            else
            {
                // Keep numbers (total_size) and anything else as their JSON text.
                using var document = JsonDocument.ParseValue(ref reader);
                value = document.RootElement.GetRawText();
            }

            metadata[key] = value;
        }
    }

    private static CheckpointException Error(string indexPath, string problem) => new(indexPath, null, problem);
}
