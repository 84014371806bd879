using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using ZImageSharp.IO.Checkpoints;

namespace ZImageSharp.IO.Safetensors;

/// <summary>
/// The parsed and validated JSON header of a safetensors file. Parsing walks the JSON with <see cref="Utf8JsonReader"/>
/// so duplicate keys (which a dictionary-based parser would silently merge) are seen and rejected.
/// </summary>
internal sealed class SafetensorsHeader
{
    /// <summary>The reference implementation's limit; larger headers are treated as hostile.</summary>
    public const long MaxHeaderLength = 100_000_000;

    private const string MetadataKey = "__metadata__";

    private readonly string _path;

    private SafetensorsHeader(string path, List<TensorInfo> tensors, Dictionary<string, string> metadata)
    {
        _path = path;
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>Entries in header order.</summary>
    public IReadOnlyList<TensorInfo> Tensors { get; }

    /// <summary>The <c>__metadata__</c> map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Parses the header bytes and validates every entry against a data buffer of <paramref name="dataLength"/> bytes.</summary>
    /// <exception cref="SafetensorsFormatException">For anything the format does not allow.</exception>
    public static SafetensorsHeader Parse(ReadOnlySpan<byte> json, string path, long dataLength)
    {
        if (!Utf8.IsValid(json))
        {
            throw new SafetensorsFormatException(path, null, "the header is not valid UTF-8.");
        }

        if (json.Length == 0 || json[0] != (byte)'{')
        {
            throw new SafetensorsFormatException(path, null, "the header is not a JSON object (it must start with '{').");
        }

        var header = new SafetensorsHeader(path, [], new Dictionary<string, string>(StringComparer.Ordinal));
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            header.ReadRoot(ref reader, dataLength);
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException(path, null, $"the header is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader.GetString throws this for escapes that decode to invalid UTF-16 (lone surrogates).
            throw new SafetensorsFormatException(path, null, $"the header holds an invalid string: {e.Message}", e);
        }

        SafetensorsLayout.Validate(path, header.Tensors, dataLength);
        return header;
    }

    private void ReadRoot(ref Utf8JsonReader reader, long dataLength)
    {
        reader.Read();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var tensors = (List<TensorInfo>)Tensors;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            if (!seen.Add(name))
            {
                throw Error(name, "the name appears twice in the header (duplicate JSON key).");
            }

            reader.Read();
            if (name == MetadataKey)
            {
                ReadMetadata(ref reader);
            }
            else
            {
                tensors.Add(ReadEntry(ref reader, name, dataLength));
            }
        }

        // Anything but whitespace after the object makes Read() throw a JsonException.
        if (reader.Read())
        {
            throw Error(null, "the header has content after its JSON object.");
        }
    }

    private void ReadMetadata(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error(null, $"'{MetadataKey}' must be an object of strings, found {Describe(reader.TokenType)}.");
        }

        var metadata = (Dictionary<string, string>)Metadata;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                throw Error(null, $"'{MetadataKey}' value of '{key}' must be a string, found {Describe(reader.TokenType)}.");
            }

            if (!metadata.TryAdd(key, reader.GetString()!))
            {
                throw Error(null, $"'{MetadataKey}' has the key '{key}' twice.");
            }
        }
    }

    private TensorInfo ReadEntry(ref Utf8JsonReader reader, string name, long dataLength)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error(name, $"the entry must be an object, found {Describe(reader.TokenType)}.");
        }

        SafetensorsDType? dtype = null;
        long[]? shape = null;
        long[]? offsets = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string field = reader.GetString()!;
            reader.Read();
            switch (field)
            {
                case "dtype":
                    Once(dtype is null, name, field);
                    dtype = ReadDType(ref reader, name);
                    break;
                case "shape":
                    Once(shape is null, name, field);
                    shape = ReadIntegers(ref reader, name, field);
                    break;
                case "data_offsets":
                    Once(offsets is null, name, field);
                    offsets = ReadIntegers(ref reader, name, field);
                    if (offsets.Length != 2)
                    {
                        throw Error(name, $"'data_offsets' must hold 2 integers [begin, end], found {offsets.Length}.");
                    }

                    break;
                default:
                    // Unknown fields are ignored, as the reference implementation does, for forward compatibility.
                    reader.Skip();
                    break;
            }
        }

        if (dtype is null || shape is null || offsets is null)
        {
            string missing = dtype is null ? "dtype" : shape is null ? "shape" : "data_offsets";
            throw Error(name, $"the entry has no '{missing}'.");
        }

        return Validate(name, dtype.Value, shape, offsets[0], offsets[1], dataLength);
    }

    private TensorInfo Validate(string name, SafetensorsDType dtype, long[] shape, long begin, long end, long dataLength)
    {
        if (begin > end)
        {
            throw Error(name, $"data_offsets [{begin}, {end}] begin after they end.");
        }

        long count = 1;
        foreach (long d in shape)
        {
            if (d != 0 && count > long.MaxValue / d)
            {
                throw Error(name, $"shape {TensorInfo.FormatDims(shape)} has more elements than a 64-bit count can hold.");
            }

            count *= d;
        }

        long? bytes = dtype.ByteLength(count);
        if (bytes is null)
        {
            throw Error(name, $"{count} elements of {dtype} are not a whole number of bytes (or overflow).");
        }

        if (bytes.Value != end - begin)
        {
            throw Error(name, $"shape {TensorInfo.FormatDims(shape)} of {dtype} needs {bytes.Value} bytes, but data_offsets [{begin}, {end}] span {end - begin}.");
        }

        if (end > dataLength)
        {
            throw Error(name, $"data_offsets [{begin}, {end}] run past the end of the file: the data buffer has only {dataLength} bytes (truncated file?).");
        }

        return new TensorInfo(name, dtype, [.. shape], begin, end - begin, _path);
    }

    private SafetensorsDType ReadDType(ref Utf8JsonReader reader, string name)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw Error(name, $"'dtype' must be a string, found {Describe(reader.TokenType)}.");
        }

        string text = reader.GetString()!;
        return SafetensorsDTypes.TryParse(text, out SafetensorsDType dtype)
            ? dtype
            : throw Error(name, $"unknown dtype '{text}'.");
    }

    private long[] ReadIntegers(ref Utf8JsonReader reader, string name, string field)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Error(name, $"'{field}' must be an array of integers, found {Describe(reader.TokenType)}.");
        }

        var values = new List<long>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number)
            {
                throw Error(name, $"'{field}'[{values.Count}] must be an integer, found {Describe(reader.TokenType)}.");
            }

            string raw = Encoding.UTF8.GetString(reader.ValueSpan);
            if (raw.StartsWith('-'))
            {
                throw Error(name, $"'{field}'[{values.Count}] is negative ({raw}).");
            }

            // TryGetInt64 fails for fractions, exponents and values above 2^63-1.
            if (!reader.TryGetInt64(out long value))
            {
                throw Error(name, $"'{field}'[{values.Count}] is not an integer in range ({raw}).");
            }

            values.Add(value);
        }

        return [.. values];
    }

    private void Once(bool first, string name, string field)
    {
        if (!first)
        {
            throw Error(name, $"the entry has the field '{field}' twice.");
        }
    }

    private SafetensorsFormatException Error(string? tensor, string problem) => new(_path, tensor, problem);

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
