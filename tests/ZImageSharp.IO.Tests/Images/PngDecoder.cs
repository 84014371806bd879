using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ZImageSharp.IO.Tests.Images;

/// <summary>A decoded image plus what the test wants to inspect about how it was encoded.</summary>
internal sealed record DecodedPng(int Width, int Height, int ColorType, byte[] Pixels, Dictionary<string, string> Text, List<int> RowFilters);

/// <summary>
/// A small, independent PNG decoder for the tests (8-bit RGB/RGBA, non-interlaced): chunk walk with its own bitwise
/// CRC check, inflate, and the inverse of all five filters as the PNG specification defines them.
/// </summary>
internal static class PngDecoder
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static DecodedPng Decode(byte[] png)
    {
        Assert.Equal(Signature, png[..8]);
        int pos = 8;
        int width = 0, height = 0, colorType = 0;
        var idat = new MemoryStream();
        var text = new Dictionary<string, string>();
        var types = new List<string>();
        while (pos < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = Encoding.ASCII.GetString(png, pos + 4, 4);
            byte[] data = png[(pos + 8)..(pos + 8 + length)];
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length));
            Assert.Equal(BitwiseCrc(png.AsSpan(pos + 4, 4 + length)), crc);
            types.Add(type);
            pos += 12 + length;
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4));
                    Assert.Equal(8, data[8]);
                    colorType = data[9];
                    Assert.Equal([0, 0, 0], data[10..13]);
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
                case "tEXt":
                    int nul = Array.IndexOf(data, (byte)0);
                    text[Encoding.Latin1.GetString(data, 0, nul)] = Encoding.Latin1.GetString(data, nul + 1, data.Length - nul - 1);
                    break;
                case "iTXt":
                    int keyEnd = Array.IndexOf(data, (byte)0);
                    Assert.Equal([0, 0], data[(keyEnd + 1)..(keyEnd + 3)]); // uncompressed
                    int languageEnd = Array.IndexOf(data, (byte)0, keyEnd + 3);
                    int translatedEnd = Array.IndexOf(data, (byte)0, languageEnd + 1);
                    text[Encoding.Latin1.GetString(data, 0, keyEnd)] = Encoding.UTF8.GetString(data, translatedEnd + 1, data.Length - translatedEnd - 1);
                    break;
            }
        }

        Assert.Equal(png.Length, pos);
        Assert.Equal("IHDR", types[0]);
        Assert.Equal("IEND", types[^1]);
        int firstIdat = types.IndexOf("IDAT");
        Assert.True(firstIdat > 0 && types.LastIndexOf("IDAT") - firstIdat == types.Count(t => t == "IDAT") - 1, "IDAT chunks must be consecutive");

        int bpp = colorType switch { 2 => 3, 6 => 4, _ => throw new InvalidDataException($"colour type {colorType}") };
        byte[] filtered = Inflate(idat.ToArray());
        int rowBytes = width * bpp;
        Assert.Equal((rowBytes + 1) * height, filtered.Length);
        var pixels = new byte[rowBytes * height];
        var filters = new List<int>();
        for (int y = 0; y < height; y++)
        {
            int filter = filtered[y * (rowBytes + 1)];
            filters.Add(filter);
            Unfilter(filter, filtered.AsSpan((y * (rowBytes + 1)) + 1, rowBytes), y == 0 ? new byte[rowBytes] : pixels.AsSpan((y - 1) * rowBytes, rowBytes), bpp, pixels.AsSpan(y * rowBytes, rowBytes));
        }

        return new DecodedPng(width, height, colorType, pixels, text, filters);
    }

    /// <summary>Reconstructs one row: Recon(x) = Filt(x) + predictor(a = left, b = up, c = upper-left).</summary>
    public static void Unfilter(int filter, ReadOnlySpan<byte> line, ReadOnlySpan<byte> prior, int bpp, Span<byte> output)
    {
        for (int i = 0; i < line.Length; i++)
        {
            int a = i >= bpp ? output[i - bpp] : 0;
            int b = prior[i];
            int c = i >= bpp ? prior[i - bpp] : 0;
            int predictor = filter switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => PaethReference(a, b, c),
                _ => throw new InvalidDataException($"filter type {filter}"),
            };
            output[i] = (byte)(line[i] + predictor);
        }
    }

    private static int PaethReference(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static byte[] Inflate(byte[] zlib)
    {
        using var input = new MemoryStream(zlib);
        using var inflater = new ZLibStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        inflater.CopyTo(output);
        return output.ToArray();
    }

    private static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
            }
        }

        return ~crc;
    }
}
