using System.Text.Json;
using ZImageSharp.Cpu;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.IO.Weights;
using ZImageSharp.Models.Qwen3;
using ZImageSharp.Models.Vae;
using ZImageSharp.Models.ZImage;
using ZImageSharp.Pipelines.Schedulers;
using ZImageSharp.Tensors;
using ZImageSharp.Testing;
using ZImageSharp.Tokenizers;

namespace ZImageSharp.Pipelines.Tests.Generation;

/// <summary>
/// The whole pipeline against pipeline-tiny/: the tiny DiT, VAE and Qwen3 from the fixture folder, the fixture's
/// stand-in tokenizer (real Qwen3 ids of the templated prompt, id % vocab), the run's initial noise; every run of
/// runs.json, comparing prompt embeddings, the latents after every step and the final uint8 image.
/// </summary>
public sealed class PipelineTinyEndToEndTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;

    /// <summary>The README's bound for per-step latents and decode: |Δ| ≤ 2e-4 + 1e-4·|ref|.</summary>
    private static readonly Tolerance LoopTolerance = new(2e-4, 1e-4, 1e-8);

    public static TheoryData<string> Runs()
    {
        var data = new TheoryData<string>();
        foreach (JsonElement run in RunsJson().GetProperty("runs").EnumerateArray())
        {
            data.Add(run.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Run_MatchesReference(string name)
    {
        JsonElement root = RunsJson();
        JsonElement run = root.GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("name").GetString() == name);
        JsonElement kwargs = run.GetProperty("call_kwargs");
        using SafetensorsFile reference = SafetensorsFile.Open(Fixtures.Path("pipeline-tiny", run.GetProperty("file").GetString()!));
        var schedulerConfig = FlowMatchSchedulerConfig.Parse(root.GetProperty("scheduler_config").GetRawText(), "runs.json");
        using ZImagePipeline pipeline = CreatePipeline(schedulerConfig);

        var request = new GenerationRequest(kwargs.GetProperty("prompt").GetString()!)
        {
            NegativePrompt = kwargs.TryGetProperty("negative_prompt", out JsonElement n) ? n.GetString() : null,
            Height = kwargs.GetProperty("height").GetInt32(),
            Width = kwargs.GetProperty("width").GetInt32(),
            Steps = kwargs.GetProperty("num_inference_steps").GetInt32(),
            GuidanceScale = kwargs.GetProperty("guidance_scale").GetDouble(),
            CfgTruncation = kwargs.TryGetProperty("cfg_truncation", out JsonElement t) ? t.GetDouble() : 1.0,
            CfgNormalization = kwargs.TryGetProperty("cfg_normalization", out JsonElement c) ? (c.ValueKind == JsonValueKind.True ? 1 : c.ValueKind == JsonValueKind.False ? 0 : c.GetDouble()) : 0,
            MaxSequenceLength = root.GetProperty("runs")[0].TryGetProperty("max_sequence_length", out JsonElement m) ? m.GetInt32() : 512,
        };

        // The prompt embeddings the pipeline computes once per request.
        using Tensor embeds = pipeline.Components.TextEncoder.Encode(Cpu, [pipeline.Components.Tokenizer.Encode(request.Prompt, request.MaxSequenceLength).Ids])[0];
        using Tensor expectedEmbeds = reference.ReadTensor("inter.prompt_embeds.0", Cpu);
        TensorAssert.Close(expectedEmbeds, embeds, LoopTolerance, "prompt_embeds");

        using Tensor noise = reference.ReadTensor("input.latents", Cpu);
        int steps = 0;
        GenerationResult result = pipeline.Generate(request, progress: null, noise, CancellationToken.None, (step, latents) =>
        {
            using Tensor expected = reference.ReadTensor($"inter.latents_after_step.{step}", Cpu);
            TensorAssert.Close(expected, latents, LoopTolerance, $"latents after step {step}");
            steps++;
        });

        Assert.Equal(run.GetProperty("num_transformer_calls").GetInt32(), result.Forwards);
        Assert.Equal(result.Forwards, steps);
        using Tensor image = reference.ReadTensor("output.image_uint8", Cpu);
        byte[] expectedPixels = image.ToArray<byte>();
        byte[] actual = result.Images[0].Rgb;
        Assert.Equal(expectedPixels.Length, actual.Length);
        int differing = expectedPixels.Zip(actual).Count(p => p.First != p.Second);
        Assert.True(expectedPixels.Zip(actual).All(p => Math.Abs(p.First - p.Second) <= 1), "a pixel differs by more than 1");
        Assert.True(differing <= expectedPixels.Length / 200, $"{differing} of {expectedPixels.Length} bytes differ (≤ 0.5 % allowed)");
    }

    [Fact]
    public void InvalidRequests_NameTheField()
    {
        using ZImagePipeline pipeline = CreatePipeline(FlowMatchSchedulerConfig.ZImageTurbo);
        int m = pipeline.SizeMultiple;
        Assert.Contains("width", Assert.Throws<GenerationRequestException>(() => pipeline.Validate(new GenerationRequest("x") { Width = m + 1, Height = m })).Message);
        Assert.Contains("steps", Assert.Throws<GenerationRequestException>(() => pipeline.Validate(new GenerationRequest("x") { Width = m, Height = m, Steps = 0 })).Message);
    }

    private static ZImagePipeline CreatePipeline(FlowMatchSchedulerConfig schedulerConfig)
    {
        var te = new WeightMap(SafetensorsFile.Open(Fixtures.Path("qwen3-tiny", "model.safetensors")), Cpu);
        var dit = new WeightMap(SafetensorsFile.Open(Fixtures.Path("dit-tiny", "model.safetensors")), Cpu);
        var vae = new WeightMap(SafetensorsFile.Open(Fixtures.Path("vae-tiny", "model.safetensors")), Cpu);
        Qwen3Config teConfig = Qwen3Config.Load(Fixtures.Path("qwen3-tiny", "config.json"));
        var tokenizer = new RemappedTokenizer(BpeTokenizer.Load(Fixtures.Path("tokenizer", "tokenizer.json")), teConfig.VocabSize);
        var components = new ZImageComponents(
            tokenizer,
            ZImageTextEncoder.Load(te, teConfig),
            ZImageTransformer.Load(dit, ZImageTransformerConfig.Load(Fixtures.Path("dit-tiny", "config.json"))),
            AutoencoderKl.Load(vae, AutoencoderKlConfig.Load(Fixtures.Path("vae-tiny", "config.json")), loadEncoder: false),
            schedulerConfig,
            "pipeline-tiny fixture");
        return new ZImagePipeline(Cpu, components);
    }

    private static JsonElement RunsJson() => JsonDocument.Parse(File.ReadAllText(Fixtures.Path("pipeline-tiny", "runs.json"))).RootElement;

    /// <summary>The fixture's stand-in tokenizer: the real Qwen3 ids of the templated prompt, modulo the tiny vocabulary.</summary>
    private sealed class RemappedTokenizer(BpeTokenizer inner, int vocab) : IPromptTokenizer
    {
        public PromptTokens Encode(string prompt, int maxLength)
        {
            PromptTokens tokens = Qwen3ChatTemplate.Encode(inner, prompt, maxLength);
            return tokens with { Ids = [.. tokens.Ids.Select(id => id % vocab)] };
        }
    }
}
