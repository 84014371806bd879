using System.Net;
using System.Text.Json;
using ZImageSharp.Cpu;
using ZImageSharp.IO.Tests.Images;
using ZImageSharp.Pipelines;
using ZImageSharp.Server.Tests.Support;

namespace ZImageSharp.Server.Tests.Jobs;

/// <summary>The bounded queue (429 + Retry-After when full) and batching of compatible queued requests.</summary>
public sealed class QueueAndBatchingTests
{
    [Fact]
    public async Task AFullQueue_Answers429WithRetryAfter_InBothApis_AndLosesNothing()
    {
        await using TestServer server = await TestServer.StartAsync(TestServer.Fast with { MaxQueue = 2 });
        server.Generator.Hold();
        var body = new { prompt = "x", width = 32, height = 32, steps = 1 };
        string running = await server.SubmitAsync(body);
        await server.Generator.BatchArrivedAsync(); // the worker holds it: the queue is empty again
        string[] queued = [await server.SubmitAsync(body with { prompt = "y" }), await server.SubmitAsync(body with { prompt = "z" })];

        (HttpResponseMessage full, JsonElement problem) = await server.PostJobAsync(body);
        Assert.Equal(HttpStatusCode.TooManyRequests, full.StatusCode);
        int retryAfter = int.Parse(full.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);
        Assert.Equal("application/problem+json", full.Content.Headers.ContentType!.MediaType);
        Assert.Contains("the queue is full (2 jobs waiting)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        (HttpResponseMessage openAi, JsonElement error) = await server.PostJobAsync(new { prompt = "x", size = "32x32" }, "/v1/images/generations");
        Assert.Equal(HttpStatusCode.TooManyRequests, openAi.StatusCode);
        Assert.True(openAi.Headers.Contains("Retry-After"));
        Assert.Equal(("requests", "rate_limit_exceeded"), (error.GetProperty("error").GetProperty("type").GetString(), error.GetProperty("error").GetProperty("code").GetString()));

        server.Generator.Open();
        foreach (string id in queued.Prepend(running))
        {
            Assert.Equal("completed", (await server.FinishedAsync(id)).GetProperty("status").GetString());
        }

        string metrics = await server.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Contains("zimage_jobs_rejected_total 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains("zimage_jobs_completed_total 3\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompatibleQueuedRequests_RunInOneBatch_AndGiveTheImagesTheyGiveAlone()
    {
        await using TestServer server = await TestServer.StartAsync(TestServer.Fast with { MaxBatch = 3 });
        server.Generator.Hold();
        string first = await server.SubmitAsync(new { prompt = "first", width = 32, height = 32, steps = 2, seed = 1 });
        await server.Generator.BatchArrivedAsync();
        string b = await server.SubmitAsync(new { prompt = "a red fox in snow", width = 64, height = 48, steps = 2, seed = 11 });
        string other = await server.SubmitAsync(new { prompt = "another size", width = 48, height = 48, steps = 2, seed = 5 });
        string c = await server.SubmitAsync(new { prompt = "一只猫, a much longer prompt than the other one so the captions need padding", width = 64, height = 48, steps = 2, seed = 22, count = 2 });
        string tooMany = await server.SubmitAsync(new { prompt = "over the image budget", width = 64, height = 48, steps = 2, seed = 3 });
        server.Generator.Open();

        JsonElement jobB = await server.FinishedAsync(b);
        JsonElement jobC = await server.FinishedAsync(c);
        foreach (string id in new[] { first, other, tooMany })
        {
            Assert.Equal("completed", (await server.FinishedAsync(id)).GetProperty("status").GetString());
        }

        // [first], then b + c (3 images = --max-batch), then the other size, then the one over the budget.
        Assert.Equal(
            [["first"], ["a red fox in snow", "一只猫, a much longer prompt than the other one so the captions need padding"], ["another size"], ["over the image budget"]],
            server.Generator.Batches.Select(batch => batch.Select(r => r.Prompt).ToArray()));
        Assert.Equal((2, 2), (jobB.GetProperty("batch_size").GetInt32(), jobC.GetProperty("batch_size").GetInt32()));

        using ZImagePipeline alone = ZImagePipeline.CreateDemo(CpuBackend.Default);
        foreach ((JsonElement job, GenerationRequest request) in new[]
        {
            (jobB, new GenerationRequest("a red fox in snow") { Width = 64, Height = 48, Steps = 2, Seed = 11 }),
            (jobC, new GenerationRequest("一只猫, a much longer prompt than the other one so the captions need padding") { Width = 64, Height = 48, Steps = 2, Seed = 22, Count = 2 }),
        })
        {
            GenerationResult expected = await alone.GenerateAsync(request, cancellationToken: TestContext.Current.CancellationToken);
            JsonElement[] images = [.. job.GetProperty("images").EnumerateArray()];
            Assert.Equal(expected.Images.Count, images.Length);
            for (int i = 0; i < images.Length; i++)
            {
                DecodedPng png = PngDecoder.Decode(await server.Http.GetByteArrayAsync(images[i].GetProperty("url").GetString(), TestContext.Current.CancellationToken));
                int maxDiff = png.Pixels.Zip(expected.Images[i].Rgb).Max(p => Math.Abs(p.First - p.Second));
                Assert.True(maxDiff <= 1, $"{request.Prompt} image {i}: batched differs from alone by {maxDiff} levels (≤ 1 allowed)");
            }
        }
    }
}
