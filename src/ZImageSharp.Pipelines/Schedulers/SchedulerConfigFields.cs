using System.Text.Json;
using ZImageSharp.Models;

namespace ZImageSharp.Pipelines.Schedulers;

/// <summary>Typed reads of a scheduler_config.json object; a JSON null counts as absent (diffusers writes nulls for unset options).</summary>
internal sealed class SchedulerConfigFields
{
    private readonly JsonElement _root;
    private readonly string _source;

    public SchedulerConfigFields(JsonElement root, string source)
    {
        _root = root;
        _source = source;
    }

    public int Int(string name, int fallback)
    {
        if (!TryGet(name, out JsonElement v))
        {
            return fallback;
        }

        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int value) ? value : throw Wrong(name, "an integer", v);
    }

    public double Double(string name, double fallback)
    {
        if (!TryGet(name, out JsonElement v))
        {
            return fallback;
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

    /// <summary>The exception for a field whose value asks for something this scheduler does not implement.</summary>
    public NotSupportedException Unsupported(string name, string why)
    {
        _root.TryGetProperty(name, out JsonElement v);
        return new NotSupportedException($"{_source}: field '{name}' = {v.GetRawText()} is not supported ({why}).");
    }

    private bool TryGet(string name, out JsonElement value)
        => _root.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private ConfigException Wrong(string name, string expected, JsonElement found)
        => new(_source, $"field '{name}' must be {expected}, found {found.ValueKind} {found.GetRawText()}.");
}
