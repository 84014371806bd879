using System.Buffers.Binary;
using System.Text.Json;

namespace ZImageSharp.Models.Tests.Vae;

/// <summary>
/// Writes a safetensors file with the names, dtypes and shapes of a fixtures/manifests/*.json listing and a sparse,
/// never-written data region: a full-size checkpoint's layout in a few kilobytes of disk, for MetaBackend builds.
/// </summary>
internal static class HeaderOnlySafetensors
{
    public static void Write(string manifestPath, string path)
    {
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(manifestPath));
        using var header = new MemoryStream();
        long offset = 0;
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            foreach (JsonElement t in manifest.RootElement.GetProperty("tensors").EnumerateArray())
            {
                string dtype = t.GetProperty("dtype").GetString()!;
                long count = t.GetProperty("shape").EnumerateArray().Aggregate(1L, (n, d) => n * d.GetInt64());
                long bytes = count * ElementSize(dtype);
                json.WriteStartObject(t.GetProperty("name").GetString()!);
                json.WriteString("dtype", dtype);
                json.WriteStartArray("shape");
                foreach (JsonElement d in t.GetProperty("shape").EnumerateArray())
                {
                    json.WriteNumberValue(d.GetInt64());
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }

            json.WriteEndObject();
        }

        // As the reference writer: the header is space-padded so the data starts at a multiple of 8.
        while (header.Length % 8 != 0)
        {
            header.WriteByte((byte)' ');
        }

        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        file.Write(length);
        header.Position = 0;
        header.CopyTo(file);
        file.SetLength(8 + header.Length + offset);
    }

    private static int ElementSize(string dtype) => dtype switch
    {
        "F32" => 4,
        "BF16" or "F16" => 2,
        _ => throw new NotSupportedException($"manifest dtype {dtype}"),
    };
}
