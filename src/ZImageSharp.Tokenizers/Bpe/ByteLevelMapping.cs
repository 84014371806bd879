namespace ZImageSharp.Tokenizers;

/// <summary>
/// GPT-2's reversible byte ↔ printable-character map used by byte-level BPE: bytes 33–126, 161–172 and 174–255 map to
/// the same code point; the other 68 bytes map to U+0100, U+0101, ... in byte order (so a space becomes 'Ġ', U+0120).
/// </summary>
public static class ByteLevelMapping
{
    private static readonly char[] s_byteToChar = BuildByteToChar();
    private static readonly Dictionary<char, byte> s_charToByte = BuildCharToByte();

    /// <summary>The character standing for a byte.</summary>
    public static char ToChar(byte b) => s_byteToChar[b];

    /// <summary>The byte a mapped character stands for; false for characters outside the map.</summary>
    public static bool TryToByte(char c, out byte b) => s_charToByte.TryGetValue(c, out b);

    /// <summary>Maps UTF-8 bytes to their characters.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        return string.Create(bytes.Length, bytes.ToArray(), static (span, data) =>
        {
            for (int i = 0; i < data.Length; i++)
            {
                span[i] = s_byteToChar[data[i]];
            }
        });
    }

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        int next = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
            map[b] = printable ? (char)b : (char)(256 + next++);
        }

        return map;
    }

    private static Dictionary<char, byte> BuildCharToByte()
    {
        var map = new Dictionary<char, byte>(256);
        for (int b = 0; b < 256; b++)
        {
            map[s_byteToChar[b]] = (byte)b;
        }

        return map;
    }
}
