using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace ZImageSharp.Testing.Checkpoints;

/// <summary>
/// Header-only safetensors files: a valid header for every tensor, then the data region as a hole
/// (<see cref="FileStream.SetLength"/>), so a 24 GB transformer costs a few kilobytes of disk on Linux and macOS.
/// </summary>
public static class SparseSafetensors
{
    /// <summary>Writes the file; tensors are laid out in name order like the reference writer.</summary>
    public static void Write(string path, IEnumerable<ManifestTensor> tensors)
    {
        ManifestTensor[] ordered = [.. tensors.OrderBy(t => t.Name, StringComparer.Ordinal)];
        var json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        foreach (ManifestTensor t in ordered)
        {
            json.Append($",{JsonSerializer.Serialize(t.Name)}:{{\"dtype\":\"{t.DType}\",\"shape\":[{string.Join(",", t.Shape)}],\"data_offsets\":[{offset},{offset + t.Bytes}]}}");
            offset += t.Bytes;
        }

        json.Append('}');
        while ((json.Length % 8) != 0)
        {
            json.Append(' ');
        }

        byte[] header = Encoding.UTF8.GetBytes(json.ToString());
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        stream.SetLength(8 + header.Length + offset);
    }

    /// <summary>Writes <paramref name="shards"/> files <c>{stem}-0000i-of-0000n.safetensors</c> and their index; returns the index path.</summary>
    public static string WriteSharded(string folder, string stem, IReadOnlyList<ManifestTensor> tensors, int shards)
    {
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        int perShard = (tensors.Count + shards - 1) / shards;
        for (int s = 0; s < shards; s++)
        {
            string file = $"{stem}-{s + 1:D5}-of-{shards:D5}.safetensors";
            ManifestTensor[] part = [.. tensors.Skip(s * perShard).Take(perShard)];
            Write(Path.Combine(folder, file), part);
            foreach (ManifestTensor t in part)
            {
                weightMap[t.Name] = file;
            }
        }

        string index = Path.Combine(folder, stem + ".safetensors.index.json");
        File.WriteAllText(index, JsonSerializer.Serialize(new
        {
            metadata = new { total_size = tensors.Sum(t => t.Bytes) },
            weight_map = weightMap,
        }));
        return index;
    }
}
