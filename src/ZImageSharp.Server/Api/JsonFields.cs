using System.Globalization;
using System.Text.Json;

namespace ZImageSharp.Server.Api;

/// <summary>
/// Typed reads of a request object's fields. Absent or null fields read as null; a value of the wrong kind is a 400
/// naming the field and what was given. Fields nobody reads are ignored (clients may send more than we know).
/// </summary>
/// <param name="root">The request object.</param>
internal readonly struct JsonFields(JsonElement root)
{
    /// <summary>A string field.</summary>
    public string? String(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { } value => throw Wrong(name, "a string", value),
    };

    /// <summary>An integer field (a JSON number without a fraction, within 32 bits).</summary>
    public int? Int(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out int n) => n,
        { } value => throw Wrong(name, "an integer", value),
    };

    /// <summary>A 64-bit integer field.</summary>
    public long? Long(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt64(out long n) => n,
        { } value => throw Wrong(name, "an integer between -1 and 9223372036854775807", value),
    };

    /// <summary>A number field.</summary>
    public double? Double(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetDouble(out double n) && double.IsFinite(n) => n,
        { } value => throw Wrong(name, "a number", value),
    };

    /// <summary>How a JSON kind reads in a message.</summary>
    public static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private JsonElement? Get(string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static ApiException Wrong(string name, string expected, JsonElement value)
    {
        string shown = value.ValueKind is JsonValueKind.Number or JsonValueKind.String ? value.GetRawText() : KindName(value.ValueKind);
        if (shown.Length > 40)
        {
            shown = string.Create(CultureInfo.InvariantCulture, $"{shown[..40]}…");
        }

        return ApiException.Invalid(name, $"{name} must be {expected}, got {shown}.");
    }
}
