using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;

namespace ZImageSharp.Models.Tests.ZImage;

/// <summary>
/// Writes a safetensors file whose header lists full-size tensors but whose data region is a hole (a sparse file of
/// the right length): a checkpoint's names, shapes and dtypes at no disk cost, for building a model on MetaBackend.
/// </summary>
internal static class HeaderOnlySafetensors
{
    public static void Write(string path, IEnumerable<(string Name, string DType, long[] Shape)> tensors)
    {
        var buffer = new ArrayBufferWriter<byte>();
        long offset = 0;
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, dtype, shape) in tensors)
            {
                long bytes = shape.Aggregate(1L, (a, d) => a * d) * ElementSize(dtype);
                json.WriteStartObject(name);
                json.WriteString("dtype", dtype);
                json.WriteStartArray("shape");
                foreach (long d in shape)
                {
                    json.WriteNumberValue(d);
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

        // The format pads the header with spaces to a multiple of 8.
        byte[] header = new byte[(buffer.WrittenCount + 7) / 8 * 8];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        stream.SetLength(8 + header.Length + offset);
    }

    private static int ElementSize(string dtype) => dtype switch
    {
        "F32" => 4,
        "BF16" or "F16" => 2,
        _ => throw new NotSupportedException($"dtype {dtype}"),
    };
}
