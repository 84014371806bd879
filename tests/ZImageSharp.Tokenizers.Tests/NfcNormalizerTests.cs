using System.Globalization;
using System.Text;

namespace ZImageSharp.Tokenizers.Tests;

/// <summary>The embedded NFC tables against ICU (through string.Normalize in this non-invariant test host).</summary>
public sealed class NfcNormalizerTests
{
    [Fact]
    public void TestHost_HasIcuNormalization()
        => Assert.Equal("\u00E9", "e\u0301".Normalize(NormalizationForm.FormC));

    [Fact]
    public void EverySingleCodePoint_MatchesIcu()
    {
        var mismatches = new List<string>();
        for (int cp = 0; cp < 0x110000; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF || Rune.GetUnicodeCategory(new Rune(cp)) == UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }

            string s = char.ConvertFromUtf32(cp);
            string expected = s.Normalize(NormalizationForm.FormC);
            string actual = NfcNormalizer.Normalize(s);
            if (expected != actual)
            {
                mismatches.Add($"U+{cp:X4}");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} code points differ from ICU: {string.Join(' ', mismatches.Take(20))}");
    }

    [Fact]
    public void RandomMarkSequences_MatchIcu()
    {
        // Bases that compose, marks of several combining classes (some reorder, some block), Hangul jamo.
        int[] alphabet =
        [
            'a', 'e', 'o', 'u', 'A', 'S', 'z', 0x391, 0x3B1, 0x415, 0x0CC6, 0x0B47, 0x1100, 0x1161, 0x11A8, 0xAC00,
            0x300, 0x301, 0x302, 0x303, 0x308, 0x30A, 0x323, 0x327, 0x328, 0x345, 0x0CC2, 0x0CD5, 0x0B3E, 0x05B0, 0x0F71, 0x0F72,
        ];
        var random = new Random(17);
        for (int n = 0; n < 20_000; n++)
        {
            var sb = new StringBuilder();
            int length = random.Next(1, 8);
            for (int i = 0; i < length; i++)
            {
                sb.Append(char.ConvertFromUtf32(alphabet[random.Next(alphabet.Length)]));
            }

            string s = sb.ToString();
            Assert.Equal(s.Normalize(NormalizationForm.FormC), NfcNormalizer.Normalize(s));
        }
    }

    [Theory]
    [InlineData("Cafe\u0301", "Caf\u00E9")]
    [InlineData("\u1100\u1161\u11A8", "\uAC01")]
    [InlineData("a\u0323\u0302", "\u1EAD")]
    [InlineData("a\u0302\u0323", "\u1EAD")]
    [InlineData("plain ascii", "plain ascii")]
    [InlineData("\u212B", "\u00C5")]
    public void KnownCases(string input, string expected) => Assert.Equal(expected, NfcNormalizer.Normalize(input));
}
