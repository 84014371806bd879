using ZImageSharp.Cpu;

namespace ZImageSharp.Pipelines.Tests.Generation;

/// <summary>The public pipeline API on the built-in demo model: determinism, progress order, cancellation, batches.</summary>
public sealed class DemoPipelineTests : IDisposable
{
    private readonly ZImagePipeline _pipeline = ZImagePipeline.CreateDemo(CpuBackend.Default);

    public void Dispose() => _pipeline.Dispose();

    [Fact]
    public async Task SameSeed_GivesTheSameImage_AnotherSeedAnotherImage()
    {
        var request = new GenerationRequest("a red fox in snow") { Width = 64, Height = 48, Steps = 2, Seed = 7 };
        GenerationResult a = await _pipeline.GenerateAsync(request, cancellationToken: TestContext.Current.CancellationToken);
        GenerationResult b = await _pipeline.GenerateAsync(request, cancellationToken: TestContext.Current.CancellationToken);
        GenerationResult c = await _pipeline.GenerateAsync(request with { Seed = 8 }, cancellationToken: TestContext.Current.CancellationToken);

        GeneratedImage image = Assert.Single(a.Images);
        Assert.Equal((64, 48, 64 * 48 * 3), (image.Width, image.Height, image.Rgb.Length));
        Assert.Equal(image.Rgb, b.Images[0].Rgb);
        Assert.NotEqual(image.Rgb, c.Images[0].Rgb);
        Assert.Equal(7UL, a.Seed);
        Assert.Equal(2, a.Forwards);
        Assert.True(image.Rgb.Distinct().Count() > 16, "the demo image should not be flat");
        Assert.True(_pipeline.IsDemo);
    }

    [Fact]
    public async Task Progress_ReportsEveryStageInOrder_AndEachCompletedStep()
    {
        var reports = new List<GenerationProgress>();
        var request = new GenerationRequest("x") { Width = 32, Height = 32, Steps = 3, Seed = 1 };
        GenerationResult result = await _pipeline.GenerateAsync(request, new Synchronous<GenerationProgress>(reports.Add), TestContext.Current.CancellationToken);

        (GenerationStage, int, int)[] expected =
        [
            (GenerationStage.EncodingPrompt, 0, 0),
            (GenerationStage.PreparingLatents, 0, 0),
            (GenerationStage.Denoising, 0, 3),
            (GenerationStage.Denoising, 1, 3),
            (GenerationStage.Denoising, 2, 3),
            (GenerationStage.Denoising, 3, 3),
            (GenerationStage.Decoding, 0, 0),
            (GenerationStage.Done, 3, 3),
        ];
        Assert.Equal(expected, reports.Select(r => (r.Stage, r.Step, r.TotalSteps)));
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.First.Elapsed <= p.Second.Elapsed));
        Assert.Equal([GenerationStage.EncodingPrompt, GenerationStage.PreparingLatents, GenerationStage.Denoising, GenerationStage.Decoding], result.Timings.Keys.Order());
    }

    [Fact]
    public async Task Cancellation_StopsBetweenSteps()
    {
        using var cancel = new CancellationTokenSource();
        int lastStep = 0;
        var progress = new Synchronous<GenerationProgress>(p =>
        {
            lastStep = p.Stage == GenerationStage.Denoising ? p.Step : lastStep;
            if (p.Stage == GenerationStage.Denoising && p.Step == 2)
            {
                cancel.Cancel();
            }

            Assert.NotEqual(GenerationStage.Decoding, p.Stage);
        });
        var request = new GenerationRequest("x") { Width = 32, Height = 32, Steps = 6, Seed = 1 };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _pipeline.GenerateAsync(request, progress, cancel.Token));
        Assert.Equal(2, lastStep);

        // The pipeline is usable again afterwards.
        GenerationResult after = await _pipeline.GenerateAsync(request with { Steps = 1 }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Single(after.Images);
    }

    [Fact]
    public async Task Count_DrawsOneNoiseBatch_ImagesDiffer_AndTheFirstDependsOnTheCount()
    {
        var request = new GenerationRequest("x") { Width = 32, Height = 32, Steps = 1, Seed = 3, Count = 2 };
        GenerationResult two = await _pipeline.GenerateAsync(request, cancellationToken: TestContext.Current.CancellationToken);
        GenerationResult one = await _pipeline.GenerateAsync(request with { Count = 1 }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(2, two.Images.Count);
        Assert.NotEqual(two.Images[0].Rgb, two.Images[1].Rgb);

        // diffusers draws [count, C, h, w] from one generator: image 0 of a batch is image 0 alone.
        Assert.Equal(one.Images[0].Rgb, two.Images[0].Rgb);
    }

    [Theory]
    [InlineData(1000, 1024, "width must be a positive multiple of 16, got 1000.")]
    [InlineData(1024, 0, "height must be a positive multiple of 16, got 0.")]
    public void StaticValidation_RejectsBeforeAnyModelIsLoaded(int width, int height, string message)
    {
        var e = Assert.Throws<GenerationRequestException>(() => ZImagePipeline.Validate(new GenerationRequest("x") { Width = width, Height = height }, ZImagePipeline.ZImageSizeMultiple));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    /// <summary>Reports on the calling thread, in order (<see cref="Progress{T}"/> posts to the thread pool).</summary>
    private sealed class Synchronous<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
