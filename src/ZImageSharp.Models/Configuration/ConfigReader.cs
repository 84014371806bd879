using System.Text.Json;

namespace ZImageSharp.Models;

/// <summary>Typed access to a config.json object with errors that name the file and the field.</summary>
internal sealed class ConfigReader
{
    private readonly JsonElement _root;

    private ConfigReader(JsonElement root, string source)
    {
        _root = root;
        Source = source;
    }

    public string Source { get; }

    public static ConfigReader Parse(string json, string source)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigException(source, "the configuration is not a JSON object.");
            }

            return new ConfigReader(document.RootElement.Clone(), source);
        }
        catch (JsonException e)
        {
            throw new ConfigException(source, $"not valid JSON ({e.Message}).", e);
        }
    }

    public static ConfigReader Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException(path, "the configuration file does not exist.");
        }

        return Parse(File.ReadAllText(path), path);
    }

    public bool Has(string name) => _root.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null;

    public int Int(string name, int? fallback = null)
    {
        if (!TryGet(name, out JsonElement v))
        {
            return fallback ?? throw Missing(name);
        }

        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int value) ? value : throw Wrong(name, "an integer", v);
    }

    public int PositiveInt(string name, int? fallback = null)
    {
        int value = Int(name, fallback);
        return value > 0 ? value : throw new ConfigException(Source, $"field '{name}' must be positive, found {value}.");
    }

    public double Double(string name, double? fallback = null)
    {
        if (!TryGet(name, out JsonElement v))
        {
            return fallback ?? throw Missing(name);
        }

        return v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw Wrong(name, "a number", v);
    }

    public bool Bool(string name, bool fallback)
    {
        if (!TryGet(name, out JsonElement v))
        {
            return fallback;
        }

        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(name, "true or false", v),
        };
    }

    public string? String(string name)
    {
        if (!TryGet(name, out JsonElement v))
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw Wrong(name, "a string", v);
    }

    public int[] IntArray(string name, int[]? fallback = null)
    {
        if (!TryGet(name, out JsonElement v))
        {
            return fallback ?? throw Missing(name);
        }

        if (v.ValueKind != JsonValueKind.Array)
        {
            throw Wrong(name, "an array of integers", v);
        }

        return [.. v.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int x) ? x : throw Wrong(name, "an array of integers", v))];
    }

    public string[] StringArray(string name, string[]? fallback = null)
    {
        if (!TryGet(name, out JsonElement v))
        {
            return fallback ?? throw Missing(name);
        }

        if (v.ValueKind != JsonValueKind.Array)
        {
            throw Wrong(name, "an array of strings", v);
        }

        return [.. v.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Wrong(name, "an array of strings", v))];
    }

    public ConfigReader? Object(string name)
        => TryGet(name, out JsonElement v) && v.ValueKind == JsonValueKind.Object ? new ConfigReader(v, $"{Source} ({name})") : null;

    private bool TryGet(string name, out JsonElement value)
        => _root.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private ConfigException Missing(string name) => new(Source, $"field '{name}' is missing.");

    private ConfigException Wrong(string name, string expected, JsonElement found)
        => new(Source, $"field '{name}' must be {expected}, found {found.ValueKind} {found.GetRawText()}.");
}
