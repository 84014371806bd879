using System.Buffers.Binary;
using System.Text;

namespace ZImageSharp.IO.Tests.Support;

/// <summary>Builds safetensors bytes by hand (any header, any data, any length prefix) to create invalid files.</summary>
public static class RawSafetensors
{
    /// <summary>Length prefix + header bytes + data; the prefix defaults to the header's true length.</summary>
    public static byte[] Build(byte[] header, byte[] data, ulong? headerLength = null)
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLength ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    /// <summary>Writes a file whose header is <paramref name="json"/> (UTF-8) followed by <paramref name="dataLength"/> bytes.</summary>
    public static string Write(string folder, string name, string json, int dataLength, ulong? headerLength = null) =>
        WriteBytes(folder, name, Build(Encoding.UTF8.GetBytes(json), new byte[dataLength], headerLength));

    /// <summary>Writes raw bytes as <c>folder/name.safetensors</c>.</summary>
    public static string WriteBytes(string folder, string name, byte[] bytes)
    {
        string path = Path.Combine(folder, name + ".safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>One valid F32 entry: <c>"name":{"dtype":"F32","shape":[n],"data_offsets":[begin,begin+4n]}</c>.</summary>
    public static string F32(string name, int begin, int count) =>
        $"\"{name}\":{{\"dtype\":\"F32\",\"shape\":[{count}],\"data_offsets\":[{begin},{begin + (4 * count)}]}}";
}
