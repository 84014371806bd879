using System.Text.Json;
using ZImageSharp.IO.Tests.Images;
using ZImageSharp.IO.Tests.Support;
using ZImageSharp.Pipelines.Tests.Loading.Support;

namespace ZImageSharp.Cli.Tests.Commands;

/// <summary><c>zimage generate</c> on the built-in demo model, and its one-line errors for bad input.</summary>
public sealed class GenerateCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Generate_WithoutModel_RunsTheDemo_SaysSo_AndWritesA256PngWithItsParameters()
    {
        string fox = _dir.File("fox.png");
        CliRun run = Run("generate", "--prompt", "a red fox in snow", "--out", fox, "--seed", "42");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        Assert.StartsWith("note: no --model given", run.Stdout);
        Assert.Contains("random weights. Its images are abstract patterns, not your prompt.", run.Stdout);
        Assert.Contains("pass --model DIR", run.Stdout);
        Assert.Contains("\ndenoise: 8 steps\n", run.Stdout);
        Assert.Contains("\n  step 8/8 (", run.Stdout);
        Assert.Contains($"\nsaved {fox} (256x256, seed 42)\n", run.Stdout);
        Assert.Matches(@"\ntime: load .+ · prompt .+ · denoise .+ \(8 steps, .+/step\) · decode .+ · total .+\n", run.Stdout);
        // Other tests share this process, so its resident peak may already be past 1 GiB (printed as "1.02 GiB").
        Assert.Matches(@"\npeak memory: [\d.]+ [MG]iB after loading, [\d.]+ [MG]iB in all \(resident\)\n$", run.Stdout);

        DecodedPng png = PngDecoder.Decode(File.ReadAllBytes(fox));
        Assert.Equal((256, 256, 2), (png.Width, png.Height, png.ColorType));
        Assert.True(png.Pixels.Distinct().Count() > 64, "a demo image has structure, not one flat colour");
        Assert.Equal(
            "a red fox in snow\nSteps: 8, Sampler: FlowMatch Euler, CFG scale: 0, Seed: 42, Size: 256x256, Model: built-in demo model (random weights)",
            png.Text["parameters"]);
        using JsonDocument request = JsonDocument.Parse(png.Text["zimage"]);
        Assert.Equal("a red fox in snow", request.RootElement.GetProperty("prompt").GetString());
        Assert.Equal(42UL, request.RootElement.GetProperty("seed").GetUInt64());
        Assert.Equal(8, request.RootElement.GetProperty("steps").GetInt32());
        Assert.StartsWith("ZImageSharp ", png.Text["Software"]);
        Assert.False(File.Exists(fox + ".partial"));
    }

    [Fact]
    public void Generate_SameSeedSameImage_OtherPromptOrSeedOtherImage()
    {
        byte[] Pixels(string name, string prompt, string seed)
        {
            string path = _dir.File(name);
            Assert.Equal(0, Run("generate", "-p", prompt, "-o", path, "--seed", seed, "-W", "64", "-H", "32", "--steps", "2", "-q").ExitCode);
            return PngDecoder.Decode(File.ReadAllBytes(path)).Pixels;
        }

        byte[] a = Pixels("a.png", "a red fox", "5");
        Assert.Equal(a, Pixels("b.png", "a red fox", "5"));
        Assert.NotEqual(a, Pixels("c.png", "a blue fox", "5"));
        Assert.NotEqual(a, Pixels("d.png", "a red fox", "6"));
    }

    [Fact]
    public void Generate_Count_WritesNumberedFiles_AndQuietPrintsOnlyResults()
    {
        string output = _dir.File("out/cat.png");
        CliRun run = Run("generate", "-p", "cat", "-o", output, "--seed", "9", "-c", "3", "-W", "32", "-H", "48", "--steps", "1", "--quiet");
        Assert.Equal(0, run.ExitCode);
        string[] lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("note: no --model given", lines[0]);
        Assert.Equal($"saved {_dir.File("out/cat-1.png")} (32x48, seed 9, image 1 of 3)", lines[1]);
        Assert.Equal($"saved {_dir.File("out/cat-3.png")} (32x48, seed 9, image 3 of 3)", lines[3]);
        Assert.StartsWith("time: ", lines[4]);
        Assert.StartsWith("peak memory: ", lines[5]);
        Assert.Equal(6, lines.Length);
        Assert.Contains(", Batch size: 3, Batch pos: 2", PngDecoder.Decode(File.ReadAllBytes(_dir.File("out/cat-3.png"))).Text["parameters"]);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Generate_OutIsAFolder_NamesTheFileAfterTheSeed()
    {
        CliRun run = Run("generate", "-p", "x", "-o", _dir.Path, "--seed", "123", "-W", "32", "-H", "32", "--steps", "1", "-q");
        Assert.Equal(0, run.ExitCode);
        Assert.True(File.Exists(_dir.File("zimage-123.png")));
    }

    [Fact]
    public void Generate_WithGuidance_UsesTheNegativePrompt_AndRecordsIt()
    {
        string path = _dir.File("g.png");
        CliRun run = Run("generate", "-p", "x", "-n", "blurry", "-g", "3.5", "-o", path, "--seed", "1", "-W", "32", "-H", "32", "--steps", "2", "-q");
        Assert.Equal(0, run.ExitCode);
        string parameters = PngDecoder.Decode(File.ReadAllBytes(path)).Text["parameters"];
        Assert.StartsWith("x\nNegative prompt: blurry\nSteps: 2, Sampler: FlowMatch Euler, CFG scale: 3.5, Seed: 1", parameters);
    }

    public static TheoryData<string[], string> BadArguments() => new()
    {
        { ["--width", "1000"], "zimage: error: width must be a positive multiple of 16, got 1000." },
        { ["--height", "8"], "zimage: error: height must be a positive multiple of 16, got 8." },
        { ["--steps", "0"], "zimage: error: steps must be between 1 and 1000, got 0." },
        { ["--count", "0"], "zimage: error: count must be between 1 and 64, got 0." },
        { ["--guidance", "-1"], "zimage: error: guidance must be a finite number ≥ 0, got -1." },
        { ["--threads", "0"], "zimage: error: --threads must be at least 1, got 0." },
        { ["--device", "tpu"], "zimage: error: Argument 'tpu' not recognized. Must be one of:" },
        { ["--steps", "many"], "zimage: error: Cannot parse argument 'many' for option '--steps'" },
        { ["--out", "fox.jpg"], "zimage: error: --out fox.jpg: images are written as PNG; give a file name ending in .png (or a folder)." },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void Generate_BadArgument_IsOneErrorLine_Exit2_NoFile(string[] arguments, string expected)
    {
        string[] output = arguments.Contains("--out") ? [] : ["--out", _dir.File("fox.png")];
        string[] args = ["generate", "--prompt", "a red fox in snow", .. output, .. arguments];
        CliRun run = Run(args);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(expected, Assert.Single(run.StderrLines));
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Generate_WithoutPrompt_IsAUsageError()
    {
        CliRun run = Run("generate", "--out", _dir.File("fox.png"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--prompt", Assert.Single(run.StderrLines));
    }

    [Fact]
    public void Generate_MissingModelFolder_IsOneErrorLineNamingIt()
    {
        string missing = _dir.File("no-such-model");
        CliRun run = Run("generate", "-p", "x", "--model", missing, "-o", _dir.File("x.png"));
        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.StderrLines);
        Assert.StartsWith("zimage: error: ", line);
        Assert.Contains(missing, line);
        Assert.False(File.Exists(_dir.File("x.png")));
    }

    [Fact]
    public void Generate_CorruptShard_IsOneErrorLineNamingTheFile()
    {
        string root = TestCheckpoints.WriteDiffusers(_dir.File("Z-Image-Turbo"));
        string shard = Directory.GetFiles(Path.Combine(root, "transformer"), "*.safetensors").Order(StringComparer.Ordinal).First();
        using (var stream = new FileStream(shard, FileMode.Open))
        {
            stream.SetLength(100);
        }

        CliRun run = Run("generate", "-p", "x", "--model", root, "-o", _dir.File("x.png"), "-q");
        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.StderrLines);
        Assert.StartsWith($"zimage: error: {shard}: ", line);
        Assert.False(File.Exists(_dir.File("x.png")));
    }

    // The demo is chosen only when $ZIMAGE_MODEL is unset; tests must not depend on the machine's environment.
    private static CliRun Run(params string[] args)
    {
        Assert.SkipWhen(!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ZIMAGE_MODEL")), "ZIMAGE_MODEL is set: generate would load that model instead of the demo.");
        return CliRun.Of(args);
    }
}
