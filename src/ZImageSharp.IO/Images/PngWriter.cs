using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ZImageSharp.IO.Images;

/// <summary>
/// Writes 8-bit RGB or RGBA images as PNG (no image library is available to the engine). Each row gets the filter
/// with the smallest sum of absolute (signed) filtered bytes, the heuristic the PNG specification recommends; the
/// filtered rows are zlib-compressed into IDAT chunks. Text key/value pairs (e.g. generation parameters) go into
/// <c>tEXt</c> chunks, or <c>iTXt</c> (UTF-8) when a value has characters outside Latin-1.
/// </summary>
public static class PngWriter
{
    private const int MaxIdatLength = 1 << 18;

    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Writes a PNG file to <paramref name="path"/> (see <see cref="Write"/>).</summary>
    public static void Save(string path, ReadOnlySpan<byte> pixels, int width, int height, PngColorType colorType, IEnumerable<KeyValuePair<string, string>>? text = null, CompressionLevel compression = CompressionLevel.Optimal)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Write(stream, pixels, width, height, colorType, text, compression);
    }

    /// <summary>Writes a PNG image to a stream.</summary>
    /// <param name="stream">Destination (written sequentially; not closed).</param>
    /// <param name="pixels">Rows top to bottom, pixels left to right, channels interleaved (R, G, B[, A]), no row padding.</param>
    /// <param name="width">Width in pixels (≥ 1).</param>
    /// <param name="height">Height in pixels (≥ 1).</param>
    /// <param name="colorType">RGB (3 bytes per pixel) or RGBA (4).</param>
    /// <param name="text">Optional key/value pairs; keys are 1–79 printable Latin-1 characters without leading, trailing or double spaces.</param>
    /// <param name="compression">zlib effort.</param>
    /// <exception cref="ArgumentException">For sizes that do not match the pixel data, an invalid key, or a value holding NUL.</exception>
    public static void Write(Stream stream, ReadOnlySpan<byte> pixels, int width, int height, PngColorType colorType, IEnumerable<KeyValuePair<string, string>>? text = null, CompressionLevel compression = CompressionLevel.Optimal)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        int channels = colorType switch
        {
            PngColorType.Rgb => 3,
            PngColorType.Rgba => 4,
            _ => throw new ArgumentOutOfRangeException(nameof(colorType), colorType, "Only RGB and RGBA are supported."),
        };
        int rowBytes = checked(width * channels);
        if (pixels.Length != (long)rowBytes * height)
        {
            throw new ArgumentException($"{pixels.Length} bytes given for a {width}x{height} {colorType} image, which needs {(long)rowBytes * height}.", nameof(pixels));
        }

        // Encode text first so an invalid key fails before anything is written.
        List<(string Type, byte[] Data)> textChunks = [.. (text ?? []).Select(p => EncodeText(p.Key, p.Value))];

        stream.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bit depth
        header[9] = (byte)colorType;
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method: adaptive, 5 types
        header[12] = 0; // no interlace
        WriteChunk(stream, "IHDR", header);
        foreach ((string type, byte[] data) in textChunks)
        {
            WriteChunk(stream, type, data);
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, compression, leaveOpen: true))
        {
            WriteFilteredRows(zlib, pixels, rowBytes, height, channels);
        }

        ReadOnlySpan<byte> idat = compressed.GetBuffer().AsSpan(0, (int)compressed.Length);
        for (int start = 0; start < idat.Length; start += MaxIdatLength)
        {
            WriteChunk(stream, "IDAT", idat.Slice(start, Math.Min(MaxIdatLength, idat.Length - start)));
        }

        WriteChunk(stream, "IEND", []);
    }

    private static void WriteFilteredRows(Stream zlib, ReadOnlySpan<byte> pixels, int rowBytes, int height, int bpp)
    {
        // One filter-type byte plus the filtered row, for each of the five candidate filters.
        byte[] candidates = new byte[5 * (rowBytes + 1)];
        byte[] zeros = new byte[rowBytes];
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = pixels.Slice(y * rowBytes, rowBytes);
            ReadOnlySpan<byte> prior = y == 0 ? zeros : pixels.Slice((y - 1) * rowBytes, rowBytes);
            int best = 0;
            long bestSum = long.MaxValue;
            for (int filter = 0; filter < 5; filter++)
            {
                Span<byte> line = candidates.AsSpan(filter * (rowBytes + 1), rowBytes + 1);
                long sum = PngFilters.Apply(filter, row, prior, bpp, line);
                if (sum < bestSum)
                {
                    (best, bestSum) = (filter, sum);
                }
            }

            zlib.Write(candidates, best * (rowBytes + 1), rowBytes + 1);
        }
    }

    private static (string Type, byte[] Data) EncodeText(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        bool keyOk = key.Length is >= 1 and <= 79
            && key.All(c => c is (>= ' ' and <= '~') or (>= '\u00A1' and <= '\u00FF'))
            && key[0] != ' ' && key[^1] != ' ' && !key.Contains("  ", StringComparison.Ordinal);
        if (!keyOk)
        {
            throw new ArgumentException($"PNG text key '{key}' must be 1-79 printable Latin-1 characters without leading, trailing or consecutive spaces.", nameof(key));
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"PNG text value of '{key}' must not contain NUL.", nameof(value));
        }

        byte[] keyBytes = Encoding.Latin1.GetBytes(key);
        if (value.All(c => c <= '\u00FF'))
        {
            return ("tEXt", [.. keyBytes, 0, .. Encoding.Latin1.GetBytes(value)]);
        }

        // iTXt: key, NUL, compression flag 0, method 0, empty language tag + NUL, empty translated key + NUL, UTF-8 text.
        return ("iTXt", [.. keyBytes, 0, 0, 0, 0, 0, .. Encoding.UTF8.GetBytes(value)]);
    }

    private static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        Encoding.ASCII.GetBytes(type, buffer[4..]);
        stream.Write(buffer);
        stream.Write(data);
        uint crc = Crc32.Finish(Crc32.Append(Crc32.Append(Crc32.Start, buffer[4..]), data));
        BinaryPrimitives.WriteUInt32BigEndian(buffer, crc);
        stream.Write(buffer[..4]);
    }
}
