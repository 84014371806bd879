using System.Text;
using System.Text.Json;
using ZImageSharp.IO.Images;
using ZImageSharp.IO.Tests.Support;

namespace ZImageSharp.IO.Tests.Images;

public sealed class PngWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<int, int, PngColorType, string> Images() => new()
    {
        { 1, 1, PngColorType.Rgb, "random" },
        { 1, 1, PngColorType.Rgba, "random" },
        { 3, 5, PngColorType.Rgb, "random" },
        { 3, 5, PngColorType.Rgba, "gradient" },
        { 17, 9, PngColorType.Rgb, "gradient" },
        { 17, 9, PngColorType.Rgba, "random" },
        { 64, 48, PngColorType.Rgb, "gradient" },
        { 64, 48, PngColorType.Rgb, "constant" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Write_RoundTripsThroughAnIndependentDecoder(int width, int height, PngColorType colorType, string pattern)
    {
        byte[] pixels = Pattern(width, height, colorType, pattern);
        DecodedPng png = PngDecoder.Decode(Encode(pixels, width, height, colorType));
        Assert.Equal((width, height, (int)colorType), (png.Width, png.Height, png.ColorType));
        Assert.Equal(pixels, png.Pixels);
        AssertFiltersMinimiseAbsoluteSum(pixels, width * Channels(colorType), Channels(colorType), png.RowFilters);
    }

    [Fact]
    public void Filters_AllFiveTypes_InvertExactly()
    {
        var random = new Random(7);
        foreach (int bpp in new[] { 3, 4 })
        {
            byte[] prior = new byte[bpp * 13];
            byte[] row = new byte[bpp * 13];
            random.NextBytes(prior);
            random.NextBytes(row);
            for (int filter = 0; filter < 5; filter++)
            {
                byte[] line = new byte[row.Length + 1];
                PngFilters.Apply(filter, row, prior, bpp, line);
                Assert.Equal(filter, line[0]);
                byte[] back = new byte[row.Length];
                PngDecoder.Unfilter(filter, line.AsSpan(1), prior, bpp, back);
                Assert.Equal(row, back);
            }
        }
    }

    [Fact]
    public void Write_ConstantImage_UsesSubThenUp()
    {
        DecodedPng png = PngDecoder.Decode(Encode(Pattern(8, 4, PngColorType.Rgb, "constant"), 8, 4, PngColorType.Rgb));
        Assert.Equal([1, 2, 2, 2], png.RowFilters);
    }

    [Fact]
    public void Write_TextChunks_LatinOneAsTextAndOtherAsInternational()
    {
        var text = new Dictionary<string, string>
        {
            ["prompt"] = "a café at dusk, 35mm",
            ["negative prompt"] = "一只猫",
            ["Software"] = "ZImageSharp",
        };
        byte[] file = Encode(new byte[12], 2, 2, PngColorType.Rgb, text);
        DecodedPng png = PngDecoder.Decode(file);
        Assert.Equal(text, png.Text);
        Assert.Contains("tEXtprompt"u8.ToArray(), Slices(file, 10));
        Assert.Contains("iTXtnegative"u8.ToArray(), Slices(file, 12));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" lead")]
    [InlineData("trail ")]
    [InlineData("two  spaces")]
    [InlineData("tab\tkey")]
    [InlineData("ŝ")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789012345678912")]
    public void Write_InvalidTextKey_Throws(string key)
    {
        var e = Assert.Throws<ArgumentException>(() => Encode(new byte[3], 1, 1, PngColorType.Rgb, new Dictionary<string, string> { [key] = "v" }));
        Assert.Contains("PNG text key", e.Message);
    }

    [Fact]
    public void Write_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => Encode(new byte[3], 1, 1, PngColorType.Rgb, new Dictionary<string, string> { ["k"] = "a\0b" }));
        Assert.Throws<ArgumentException>(() => Encode(new byte[5], 1, 2, PngColorType.Rgb));
        Assert.Throws<ArgumentOutOfRangeException>(() => Encode([], 0, 1, PngColorType.Rgb));
        Assert.Throws<ArgumentOutOfRangeException>(() => Encode(new byte[2], 1, 1, (PngColorType)0));
    }

    [Fact]
    public void Crc32_MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
    }

    [Fact]
    public void Save_IsDecodedIdenticallyByPillow()
    {
        string? python = new[] { "python3", "/usr/bin/python3" }
            .FirstOrDefault(p => ExternalTool.TryRun(p, "-c", "import PIL")?.ExitCode == 0);
        if (python is null)
        {
            Assert.Skip("Pillow is not available (python3 -c \"import PIL\" failed); the independent-reader check needs it.");
        }

        foreach ((int w, int h, PngColorType type) in new[] { (17, 9, PngColorType.Rgb), (3, 5, PngColorType.Rgba) })
        {
            byte[] pixels = Pattern(w, h, type, "random");
            string path = _dir.File($"pil-{w}x{h}.png");
            string raw = path + ".raw";
            PngWriter.Save(path, pixels, w, h, type, new Dictionary<string, string> { ["prompt"] = "héllo", ["seed"] = "42" });
            ExternalTool.Result result = ExternalTool.TryRun(python, "-c",
                "import sys, json; from PIL import Image; im = Image.open(sys.argv[1]); im.load(); " +
                "open(sys.argv[2], 'wb').write(im.tobytes()); print(json.dumps([im.mode, im.size[0], im.size[1], im.text]))",
                path, raw)!;
            Assert.True(result.ExitCode == 0, result.Stderr);
            using JsonDocument info = JsonDocument.Parse(result.Stdout);
            Assert.Equal(type == PngColorType.Rgb ? "RGB" : "RGBA", info.RootElement[0].GetString());
            Assert.Equal(w, info.RootElement[1].GetInt32());
            Assert.Equal(h, info.RootElement[2].GetInt32());
            Assert.Equal("héllo", info.RootElement[3].GetProperty("prompt").GetString());
            Assert.Equal(pixels, File.ReadAllBytes(raw));
        }
    }

    [Fact]
    public void Save_IsRecognisedByTheFileCommand()
    {
        string path = _dir.File("file-check.png");
        PngWriter.Save(path, Pattern(17, 9, PngColorType.Rgb, "gradient"), 17, 9, PngColorType.Rgb);
        ExternalTool.Result? result = ExternalTool.TryRun("file", "-b", path);
        if (result is null || result.ExitCode != 0)
        {
            Assert.Skip("The `file` command is not available.");
        }

        Assert.StartsWith("PNG image data, 17 x 9, 8-bit/color RGB", result.Stdout);
    }

    private static byte[] Encode(byte[] pixels, int width, int height, PngColorType type, IEnumerable<KeyValuePair<string, string>>? text = null)
    {
        using var stream = new MemoryStream();
        PngWriter.Write(stream, pixels, width, height, type, text);
        return stream.ToArray();
    }

    private static int Channels(PngColorType type) => type == PngColorType.Rgb ? 3 : 4;

    private static byte[] Pattern(int width, int height, PngColorType type, string pattern)
    {
        int channels = Channels(type);
        var pixels = new byte[width * height * channels];
        if (pattern == "random")
        {
            new Random((width * 1000) + height).NextBytes(pixels);
            return pixels;
        }

        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < channels; c++)
                {
                    pixels[(((y * width) + x) * channels) + c] = pattern == "constant"
                        ? (byte)(90 + c)
                        : (byte)((x * 255 / Math.Max(1, width - 1) * (c + 1)) + (y * 7 * c));
                }
            }
        }

        return pixels;
    }

    /// <summary>Recomputes every filter's cost from the raw image and checks the writer picked a cheapest one (lowest type on ties).</summary>
    private static void AssertFiltersMinimiseAbsoluteSum(byte[] pixels, int rowBytes, int bpp, List<int> chosen)
    {
        for (int y = 0; y < chosen.Count; y++)
        {
            var row = pixels.AsSpan(y * rowBytes, rowBytes);
            var prior = y == 0 ? new byte[rowBytes] : pixels.AsSpan((y - 1) * rowBytes, rowBytes);
            long[] sums = new long[5];
            for (int f = 0; f < 5; f++)
            {
                for (int i = 0; i < rowBytes; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0, b = prior[i], c = i >= bpp ? prior[i - bpp] : 0;
                    int p = a + b - c;
                    int paeth = Math.Abs(p - a) <= Math.Abs(p - b) && Math.Abs(p - a) <= Math.Abs(p - c) ? a : Math.Abs(p - b) <= Math.Abs(p - c) ? b : c;
                    int predicted = f switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, _ => paeth };
                    sums[f] += Math.Abs((int)(sbyte)(byte)(row[i] - predicted));
                }
            }

            Assert.Equal(Array.IndexOf(sums, sums.Min()), chosen[y]);
        }
    }

    private static IEnumerable<byte[]> Slices(byte[] data, int length) =>
        Enumerable.Range(0, data.Length - length + 1).Select(i => data[i..(i + length)]);
}
