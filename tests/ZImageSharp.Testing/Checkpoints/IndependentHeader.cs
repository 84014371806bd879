using System.Buffers.Binary;
using System.Text.Json;

namespace ZImageSharp.Testing.Checkpoints;

/// <summary>One entry of a safetensors header, read without the product's reader.</summary>
public sealed record RawTensorEntry(string Name, string DType, long[] Shape, long Bytes)
{
    public long Elements => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>
/// The header of a safetensors file parsed directly (8-byte length, JSON), so tests can derive what a fixture holds
/// from the file itself instead of hard-coding the shipped set's counts.
/// </summary>
public static class IndependentHeader
{
    public static IReadOnlyList<RawTensorEntry> Entries(string path)
    {
        using FileStream file = File.OpenRead(path);
        Span<byte> prefix = stackalloc byte[8];
        file.ReadExactly(prefix);
        byte[] json = new byte[checked((int)BinaryPrimitives.ReadUInt64LittleEndian(prefix))];
        file.ReadExactly(json);
        using JsonDocument header = JsonDocument.Parse(json);
        return [.. header.RootElement.EnumerateObject()
            .Where(p => p.Name != "__metadata__")
            .Select(p => new RawTensorEntry(
                p.Name,
                p.Value.GetProperty("dtype").GetString()!,
                [.. p.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())],
                p.Value.GetProperty("data_offsets")[1].GetInt64() - p.Value.GetProperty("data_offsets")[0].GetInt64()))
            .OrderBy(e => e.Name, StringComparer.Ordinal)];
    }
}
