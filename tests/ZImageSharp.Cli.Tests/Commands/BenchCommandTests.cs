using System.Text.Json;
using System.Text.RegularExpressions;
using ZImageSharp.Cli.Commands.Bench;
using ZImageSharp.Models.Qwen3;
using ZImageSharp.Models.Vae;
using ZImageSharp.Models.ZImage;
using ZImageSharp.Testing.Checkpoints;

namespace ZImageSharp.Cli.Tests.Commands;

/// <summary><c>zimage bench</c>: output formats, errors, and the transformer FLOP count against the real checkpoint's shapes.</summary>
public sealed class BenchCommandTests
{
    [Fact]
    public void Ops_Json_PrintsThePeaksThenOneObjectPerCase()
    {
        CliRun run = CliRun.Of("bench", "ops", "--filter", "silu", "--min-time", "0", "--json", "--threads", "1");
        Assert.Equal(0, run.ExitCode);
        string[] lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        using JsonDocument peak = JsonDocument.Parse(lines[0]);
        Assert.Equal("fma_peak", peak.RootElement.GetProperty("op").GetString());
        Assert.True(peak.RootElement.GetProperty("gflops").GetDouble() > 0);
        using JsonDocument triad = JsonDocument.Parse(lines[1]);
        Assert.Equal("stream_triad", triad.RootElement.GetProperty("op").GetString());
        double bandwidth = triad.RootElement.GetProperty("gbps").GetDouble();
        Assert.True(bandwidth > 0);
        using JsonDocument silu = JsonDocument.Parse(lines[2]);
        JsonElement r = silu.RootElement;
        Assert.Equal(("silu", "4224x3840", "f32", 1), (r.GetProperty("op").GetString(), r.GetProperty("shape").GetString(), r.GetProperty("dtype").GetString(), r.GetProperty("threads").GetInt32()));
        Assert.True(r.GetProperty("seconds").GetDouble() > 0);
        double gbps = r.GetProperty("gbps").GetDouble();
        Assert.True(gbps > 0);
        Assert.Equal(Math.Round(gbps / bandwidth * 100, 1), r.GetProperty("bandwidth_percent").GetDouble(), 0.2);
        Assert.False(r.TryGetProperty("gflops", out _));
        Assert.False(r.TryGetProperty("peak_percent", out _));
    }

    [Fact]
    public void Ops_List_PrintsTheCasesWithoutRunningThem()
    {
        CliRun run = CliRun.Of("bench", "ops", "--list", "--json", "--filter", "4224x3840");
        Assert.Equal(0, run.ExitCode);
        string[] lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var cases = lines.Select(l => JsonDocument.Parse(l).RootElement).Select(e => (e.GetProperty("op").GetString(), e.GetProperty("shape").GetString())).ToList();
        Assert.Contains(("linear", "4224x3840x3840"), cases);
        Assert.Contains(("add", "4224x3840"), cases);
        Assert.DoesNotContain(cases, c => c.Item1 == "fma_peak");
    }

    [Fact]
    public void Ops_UnknownFilter_IsOneErrorLine()
    {
        CliRun run = CliRun.Of("bench", "ops", "--filter", "fft");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("zimage: error: --filter fft: no case matches; the ops are matmul, linear, attention, conv2d, ", Assert.Single(run.StderrLines));
    }

    [Fact]
    public void Model_OnTheDemo_ReportsEveryStageAndTheTransformerRate()
    {
        Assert.SkipWhen(!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ZIMAGE_MODEL")), "ZIMAGE_MODEL is set: bench model would load it.");
        CliRun run = CliRun.Of("bench", "model", "--size", "64", "--steps", "2", "--json");
        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        JsonElement r = json.RootElement;
        Assert.Equal("model", r.GetProperty("op").GetString());
        Assert.Equal(2, r.GetProperty("steps").GetInt32());
        Assert.Equal(64, r.GetProperty("size").GetInt32());
        Assert.True(r.GetProperty("prompt_tokens").GetInt32() > 10);
        foreach (string field in (string[])["load_seconds", "prompt_seconds", "denoise_seconds", "step_seconds", "decode_seconds", "dit_gflops"])
        {
            Assert.True(r.GetProperty(field).GetDouble() > 0, field);
        }

        Assert.True(r.GetProperty("peak_bytes").GetInt64() >= r.GetProperty("peak_bytes_after_load").GetInt64());
    }

    /// <summary>
    /// The estimate equals a count made from the real checkpoint's weight shapes: every per-token linear weight
    /// (2·tokens·elements, tokens by where the layer runs) plus 4·S²·dim of attention per layer.
    /// </summary>
    [Theory]
    [InlineData(4096, 100)]
    [InlineData(1024, 32)]
    [InlineData(3, 1)]
    public void DitFlops_EqualsACountFromTheManifestShapes(int imageTokens, int captionTokens)
    {
        long image = (imageTokens + 31) / 32 * 32;
        long caption = (captionTokens + 31) / 32 * 32;
        double expected = 0;
        foreach (ManifestTensor t in Manifest.Transformer.Tensors.Where(t => t.Shape.Length == 2 && t.Name.EndsWith(".weight", StringComparison.Ordinal)))
        {
            long tokens = t.Name switch
            {
                _ when t.Name.Contains("adaLN_modulation", StringComparison.Ordinal) || t.Name.StartsWith("t_embedder.", StringComparison.Ordinal) => 0,
                _ when t.Name.StartsWith("noise_refiner.", StringComparison.Ordinal) => image,
                _ when t.Name.StartsWith("context_refiner.", StringComparison.Ordinal) => caption,
                _ when t.Name.StartsWith("layers.", StringComparison.Ordinal) => image + caption,
                _ when t.Name.StartsWith("all_x_embedder.", StringComparison.Ordinal) || t.Name.StartsWith("all_final_layer.", StringComparison.Ordinal) => image,
                _ when t.Name.StartsWith("cap_embedder.", StringComparison.Ordinal) => caption,
                _ => throw new InvalidOperationException($"unplaced weight {t.Name}"),
            };
            expected += 2.0 * tokens * t.Elements;
        }

        ZImageTransformerConfig c = ZImageTransformerConfig.Turbo;
        expected += c.NRefinerLayers * 4.0 * c.Dim * ((image * image) + (caption * caption));
        expected += c.NLayers * 4.0 * c.Dim * (image + caption) * (image + caption);

        Assert.Equal(expected, DitFlops.Forward(c, imageTokens, captionTokens), expected * 1e-12);
    }

    /// <summary>The VAE decode estimate equals a count from the real checkpoint's decoder weights, each at the resolution
    /// its block runs at (up block i at 2^i times the latent size, its upsampler's conv at the next), plus the mid
    /// attention's scores; 10.47 TFLOP at 1024² (spec §7.3: ≈ 10.5).</summary>
    [Theory]
    [InlineData(128, 128)]
    [InlineData(64, 96)]
    public void VaeFlops_EqualsACountFromTheManifestShapes(int latentHeight, int latentWidth)
    {
        double latent = (double)latentHeight * latentWidth;
        double expected = 4.0 * latent * latent * 512;
        foreach (ManifestTensor t in Manifest.Vae.Tensors.Where(t => t.Name.StartsWith("decoder.", StringComparison.Ordinal) && t.Shape.Length >= 2 && t.Name.EndsWith(".weight", StringComparison.Ordinal)))
        {
            Match up = Regex.Match(t.Name, @"^decoder\.up_blocks\.(\d)\.(resnets|upsamplers)");
            double pixels = up.Success ? latent * Math.Pow(4, int.Parse(up.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + (up.Groups[2].Value == "upsamplers" ? 1 : 0))
                : t.Name.StartsWith("decoder.conv_out", StringComparison.Ordinal) ? latent * 64
                : latent;
            expected += 2.0 * pixels * t.Elements;
        }

        Assert.Equal(expected, VaeFlops.Decode(AutoencoderKlConfig.Flux, latentHeight, latentWidth), expected * 1e-12);
        if (latentHeight == 128 && latentWidth == 128)
        {
            Assert.Equal(10.47, expected / 1e12, 0.01);
        }
    }

    /// <summary>The text encoder estimate equals a count from the real checkpoint's layer weights (all but the last
    /// layer) plus causal attention; 7.06 GFLOP per token of linears (spec §7.3).</summary>
    [Fact]
    public void TextEncoderFlops_EqualsACountFromTheManifestShapes()
    {
        const int tokens = 108;
        Qwen3Config c = Qwen3Config.Qwen3_4B;
        int layers = c.NumHiddenLayers - 1;
        double linears = Manifest.TextEncoder.Tensors
            .Where(t => t.Shape.Length == 2 && Regex.IsMatch(t.Name, @"^model\.layers\.(\d+)\.") && int.Parse(Regex.Match(t.Name, @"layers\.(\d+)\.").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) < layers)
            .Sum(t => 2.0 * tokens * t.Elements);
        double expected = linears + (layers * 2.0 * tokens * tokens * c.NumAttentionHeads * c.HeadDim);

        Assert.Equal(expected, TextEncoderFlops.Encode(c, layers, tokens), expected * 1e-12);
        Assert.Equal(7.06, linears / tokens / 1e9, 0.01);
    }

    [Fact]
    public void Model_RandomWeightsWithAModel_IsOneErrorLine()
    {
        CliRun run = CliRun.Of("bench", "model", "--random-weights", "--model", "/models/z");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("zimage: error: --random-weights builds the models itself: leave out --model.", Assert.Single(run.StderrLines));
    }

    [Fact]
    public void Model_SizeNotAMultipleOf16_IsOneErrorLine()
    {
        CliRun run = CliRun.Of("bench", "model", "--random-weights", "--size", "500");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("zimage: error: --size must be a positive multiple of 16, got 500.", Assert.Single(run.StderrLines));
    }
}
