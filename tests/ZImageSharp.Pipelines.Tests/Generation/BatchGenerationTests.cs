using ZImageSharp.Cpu;
using ZImageSharp.Tensors;

namespace ZImageSharp.Pipelines.Tests.Generation;

/// <summary>
/// <see cref="ZImagePipeline.GenerateBatchAsync"/> on the demo model: a request in a batch gives the image it gives
/// alone (per-request noise, captions of different lengths padded and masked per item), mixes that cannot share a
/// batch are refused, and a request whose latents go non-finite fails alone.
/// </summary>
public sealed class BatchGenerationTests : IDisposable
{
    /// <summary>
    /// Final latents of a request in a batch vs alone (values of order 1). Bit-equal where measured (the CPU GEMM sums
    /// each row's k in the same order whatever M is); bit-equality is not the contract, since another backend may block
    /// a larger M differently, so the bound is a GEMM rounding margin. A wrong caption, mask, RoPE offset or seed
    /// moves latents by ~1.
    /// </summary>
    private const float LatentTolerance = 1e-4f;

    private readonly ZImagePipeline _pipeline = ZImagePipeline.CreateDemo(CpuBackend.Default);

    public void Dispose() => _pipeline.Dispose();

    public static TheoryData<double> GuidanceScales => [0.0, 3.0];

    [Theory]
    [MemberData(nameof(GuidanceScales))]
    public void BatchedRequests_GiveTheImagesTheyGiveAlone(double guidance)
    {
        GenerationRequest[] requests =
        [
            new("a red fox in snow") { Width = 64, Height = 48, Steps = 3, Seed = 11, GuidanceScale = guidance, NegativePrompt = "blurry" },
            new("一只在雪地里的红狐狸, a much longer prompt so the captions differ in length and need padding") { Width = 64, Height = 48, Steps = 3, Seed = 22, Count = 2, GuidanceScale = guidance },
            new("x") { Width = 64, Height = 48, Steps = 3, Seed = 33, GuidanceScale = guidance, NegativePrompt = "a different negative prompt" },
        ];

        var batchLatents = new float[requests.Length][];
        IReadOnlyList<GenerationOutcome> batch = _pipeline.RunBatch(requests, progress: null, initialLatents: null, CancellationToken.None, (_, latents) =>
        {
            for (int k = 0; k < latents.Count; k++)
            {
                batchLatents[k] = latents[k].ToFloatArray();
            }
        });

        Assert.Equal(requests.Length, batch.Count);
        for (int k = 0; k < requests.Length; k++)
        {
            float[]? alone = null;
            GenerationResult single = _pipeline.Generate(requests[k], progress: null, initialLatents: null, CancellationToken.None, (_, latents) => alone = latents.ToFloatArray());
            GenerationResult batched = Assert.IsType<GenerationResult>(batch[k].Result);

            Assert.Equal(alone!.Length, batchLatents[k].Length);
            float maxDiff = alone.Zip(batchLatents[k]).Max(p => Math.Abs(p.First - p.Second));
            Assert.True(maxDiff <= LatentTolerance, $"request {k}: latents differ by up to {maxDiff} (≤ {LatentTolerance} allowed)");
            Assert.Equal(requests[k].Count, batched.Images.Count);
            for (int i = 0; i < batched.Images.Count; i++)
            {
                int pixelDiff = single.Images[i].Rgb.Zip(batched.Images[i].Rgb).Max(p => Math.Abs(p.First - p.Second));
                Assert.True(pixelDiff <= 1, $"request {k} image {i}: a pixel differs by {pixelDiff} (≤ 1 allowed)");
            }

            Assert.Equal(requests[k].Seed, batched.Seed);
            Assert.Equal(single.PromptTokens, batched.PromptTokens);
        }

        // The requests really differ (a batch that mixed up captions or seeds could not pass the loop above by luck).
        Assert.NotEqual(batch[0].Result!.Images[0].Rgb, batch[2].Result!.Images[0].Rgb);
        Assert.NotEqual(batch[0].Result!.PromptTokens, batch[1].Result!.PromptTokens);
    }

    [Fact]
    public async Task Batch_ReportsOneProgressStreamAndRunsOneForwardPerStep()
    {
        var reports = new List<GenerationProgress>();
        GenerationRequest[] requests = [new("a") { Width = 32, Height = 32, Steps = 2, Seed = 1 }, new("b") { Width = 32, Height = 32, Steps = 2, Seed = 2 }];
        IReadOnlyList<GenerationOutcome> outcomes = await _pipeline.GenerateBatchAsync(requests, new Synchronous<GenerationProgress>(reports.Add), TestContext.Current.CancellationToken);

        Assert.All(outcomes, o => Assert.Equal(2, o.Result!.Forwards));
        Assert.Equal([0, 1, 2], reports.Where(r => r.Stage == GenerationStage.Denoising).Select(r => r.Step));
        Assert.Equal(GenerationStage.Done, reports[^1].Stage);
    }

    [Theory]
    [InlineData("width")]
    [InlineData("height")]
    [InlineData("steps")]
    [InlineData("guidance")]
    public void Requests_ThatCannotShareABatch_AreRefusedNamingTheField(string field)
    {
        var first = new GenerationRequest("a") { Width = 32, Height = 32, Steps = 2 };
        GenerationRequest second = field switch
        {
            "width" => first with { Width = 48 },
            "height" => first with { Height = 48 },
            "steps" => first with { Steps = 3 },
            _ => first with { GuidanceScale = 2 },
        };

        var e = Assert.Throws<GenerationRequestException>(() => _pipeline.ValidateBatch([first, first, second]));
        Assert.Equal(field, e.Field);
        Assert.Contains("request 3", e.Message, StringComparison.Ordinal);
        Assert.False(ZImagePipeline.CanBatch(first, second));
        Assert.True(ZImagePipeline.CanBatch(first, first with { Prompt = "b", Seed = 9, Count = 3 }));
    }

    [Fact]
    public async Task EmptyBatch_IsRefused()
    {
        var e = await Assert.ThrowsAsync<GenerationRequestException>(() => _pipeline.GenerateBatchAsync([], cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal("requests", e.Field);
    }

    [Fact]
    public void NonFiniteLatents_FailThatRequestAlone()
    {
        GenerationRequest[] requests = [new("a") { Width = 32, Height = 32, Steps = 2, Seed = 1 }, new("b") { Width = 32, Height = 32, Steps = 2, Seed = 2 }];
        float[] poisoned = new Pipelines.Noise.TorchGenerator(1).Randn(16 * 4 * 4);
        poisoned[5] = float.NaN;
        using Tensor bad = Tensor.From<float>(_pipeline.Backend, poisoned, new Shape(1, 16, 4, 4));
        using Tensor good = new Pipelines.Noise.TorchGenerator(2).Randn(_pipeline.Backend, new Shape(1, 16, 4, 4));

        IReadOnlyList<GenerationOutcome> outcomes = _pipeline.RunBatch(requests, progress: null, [bad, good], CancellationToken.None);

        Assert.IsType<NonFiniteLatentsException>(outcomes[0].Error);
        Assert.False(outcomes[0].Succeeded);
        GenerationResult alone = _pipeline.Generate(requests[1], progress: null, initialLatents: null, CancellationToken.None);
        GenerationResult batched = Assert.IsType<GenerationResult>(outcomes[1].Result);
        Assert.True(alone.Images[0].Rgb.Zip(batched.Images[0].Rgb).All(p => Math.Abs(p.First - p.Second) <= 1), "the finite request must not be touched by its neighbour's NaN");
    }

    [Fact]
    public async Task AnOverflowingGuidanceScale_FailsWithNonFiniteLatents()
    {
        // An absurd (but finite) guidance scale overflows f32 in the guided prediction.
        var request = new GenerationRequest("a") { Width = 32, Height = 32, Steps = 2, Seed = 1, GuidanceScale = 1e300, NegativePrompt = "b" };
        await Assert.ThrowsAsync<NonFiniteLatentsException>(() => _pipeline.GenerateAsync(request, cancellationToken: TestContext.Current.CancellationToken));
    }

    /// <summary>Reports on the calling thread, in order.</summary>
    private sealed class Synchronous<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
