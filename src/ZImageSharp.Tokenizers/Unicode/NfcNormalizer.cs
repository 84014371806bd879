using System.Globalization;
using System.Text;

namespace ZImageSharp.Tokenizers;

/// <summary>
/// Unicode Normalization Form C (canonical decomposition, canonical ordering, canonical composition) from tables
/// embedded in this assembly, so tokenization does not depend on the machine's ICU (and works in invariant mode).
/// </summary>
/// <remarks>Follows UAX #15: Hangul syllables are decomposed and composed algorithmically; a combining mark composes
/// with the last starter unless a mark of equal or higher combining class sits between them.</remarks>
public static class NfcNormalizer
{
    private const int SBase = 0xAC00;
    private const int LBase = 0x1100;
    private const int VBase = 0x1161;
    private const int TBase = 0x11A7;
    private const int LCount = 19;
    private const int VCount = 21;
    private const int TCount = 28;
    private const int NCount = VCount * TCount;
    private const int SCount = LCount * NCount;

    private static readonly Lazy<Tables> s_tables = new(Tables.Load);

    /// <summary>The Unicode version of the embedded tables.</summary>
    public static string UnicodeVersion => s_tables.Value.Version;

    /// <summary>Returns the NFC form of <paramref name="text"/> (the same instance when it is already NFC-stable cheaply).</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // Below U+0300 nothing decomposes or combines (Latin-1 is NFC), which covers most prompts.
        bool trivial = true;
        foreach (char c in text)
        {
            if (c >= '\u0300')
            {
                trivial = false;
                break;
            }
        }

        if (trivial)
        {
            return text;
        }

        Tables tables = s_tables.Value;
        var codePoints = new List<int>(text.Length + 8);
        foreach (Rune rune in text.EnumerateRunes())
        {
            Decompose(rune.Value, tables, codePoints);
        }

        ReorderMarks(codePoints, tables);
        Compose(codePoints, tables);

        var sb = new StringBuilder(codePoints.Count);
        foreach (int cp in codePoints)
        {
            sb.Append(new Rune(cp).ToString());
        }

        return sb.ToString();
    }

    private static void Decompose(int cp, Tables tables, List<int> output)
    {
        int s = cp - SBase;
        if (s >= 0 && s < SCount)
        {
            output.Add(LBase + (s / NCount));
            output.Add(VBase + (s % NCount / TCount));
            int t = s % TCount;
            if (t != 0)
            {
                output.Add(TBase + t);
            }

            return;
        }

        if (tables.Decompositions.TryGetValue(cp, out int[]? parts))
        {
            output.AddRange(parts);
        }
        else
        {
            output.Add(cp);
        }
    }

    /// <summary>Stable sort of every run of non-starters by combining class.</summary>
    private static void ReorderMarks(List<int> cps, Tables tables)
    {
        for (int i = 1; i < cps.Count; i++)
        {
            int ccc = tables.Ccc(cps[i]);
            if (ccc == 0)
            {
                continue;
            }

            int j = i;
            while (j > 0)
            {
                int prev = tables.Ccc(cps[j - 1]);
                if (prev <= ccc)
                {
                    break;
                }

                (cps[j - 1], cps[j]) = (cps[j], cps[j - 1]);
                j--;
            }
        }
    }

    private static void Compose(List<int> cps, Tables tables)
    {
        if (cps.Count == 0)
        {
            return;
        }

        int starterIndex = tables.Ccc(cps[0]) == 0 ? 0 : -1;
        int lastCcc = starterIndex == 0 ? 0 : -1;
        int write = 1;
        for (int read = 1; read < cps.Count; read++)
        {
            int cp = cps[read];
            int ccc = tables.Ccc(cp);
            if (starterIndex >= 0)
            {
                // Blocked when a character between the starter and this one has combining class 0 or >= this one's.
                bool adjacent = write - 1 == starterIndex;
                bool blocked = !adjacent && (lastCcc == 0 || lastCcc >= ccc);
                if (!blocked && TryCompose(cps[starterIndex], cp, tables, out int composite))
                {
                    cps[starterIndex] = composite;
                    continue;
                }
            }

            if (ccc == 0)
            {
                starterIndex = write;
            }

            lastCcc = ccc;
            cps[write++] = cp;
        }

        cps.RemoveRange(write, cps.Count - write);
    }

    private static bool TryCompose(int first, int second, Tables tables, out int composite)
    {
        int l = first - LBase;
        if (l >= 0 && l < LCount)
        {
            int v = second - VBase;
            if (v >= 0 && v < VCount)
            {
                composite = SBase + (((l * VCount) + v) * TCount);
                return true;
            }
        }

        int s = first - SBase;
        if (s >= 0 && s < SCount && s % TCount == 0)
        {
            int t = second - TBase;
            if (t > 0 && t < TCount)
            {
                composite = first + t;
                return true;
            }
        }

        return tables.Compositions.TryGetValue(((long)first << 21) | (uint)second, out composite);
    }

    private sealed class Tables
    {
        public required string Version { get; init; }

        public required Dictionary<int, byte> CombiningClasses { get; init; }

        public required Dictionary<int, int[]> Decompositions { get; init; }

        public required Dictionary<long, int> Compositions { get; init; }

        public int Ccc(int cp) => cp < 0x300 ? 0 : CombiningClasses.GetValueOrDefault(cp);

        public static Tables Load()
        {
            using Stream stream = typeof(NfcNormalizer).Assembly.GetManifestResourceStream("ZImageSharp.Tokenizers.nfc-data.txt")
                ?? throw new InvalidOperationException("The embedded NFC tables are missing from ZImageSharp.Tokenizers.");
            using var reader = new StreamReader(stream, Encoding.ASCII);
            var ccc = new Dictionary<int, byte>();
            var decompositions = new Dictionary<int, int[]>();
            var compositions = new Dictionary<long, int>();
            string version = "?";
            while (reader.ReadLine() is { } line)
            {
                if (line.StartsWith('#'))
                {
                    string[] words = line.Split(' ');
                    version = words.Length > 2 ? words[2] : version;
                    continue;
                }

                string[] f = line.Split(' ');
                switch (f[0])
                {
                    case "C":
                        ccc[Hex(f[1])] = byte.Parse(f[2], CultureInfo.InvariantCulture);
                        break;
                    case "D":
                        decompositions[Hex(f[1])] = f.Skip(2).Select(Hex).ToArray();
                        break;
                    case "P":
                        compositions[((long)Hex(f[1]) << 21) | (uint)Hex(f[2])] = Hex(f[3]);
                        break;
                    default:
                        throw new InvalidDataException($"Bad line in the embedded NFC tables: '{line}'.");
                }
            }

            return new Tables { Version = version, CombiningClasses = ccc, Decompositions = decompositions, Compositions = compositions };
        }

        private static int Hex(string s) => int.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
