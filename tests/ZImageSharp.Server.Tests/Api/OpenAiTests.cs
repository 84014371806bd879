using System.Net;
using System.Text;
using System.Text.Json;
using ZImageSharp.IO.Tests.Images;
using ZImageSharp.Server.Tests.Support;

namespace ZImageSharp.Server.Tests.Api;

/// <summary>
/// <c>POST /v1/images/generations</c> against the recorded OpenAI exchange (Recorded/*.json): the same request an
/// OpenAI client sends gets a response of the same shape, and errors come in OpenAI's error shape.
/// </summary>
public sealed class OpenAiTests
{
    private static JsonElement Recorded(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Recorded", name))).RootElement.Clone();

    [Fact]
    public async Task TheRecordedClientRequest_GetsAResponseOfTheRecordedShape()
    {
        // Default limits: the recorded 256x256 is the smallest size they allow.
        await using TestServer server = await TestServer.StartAsync(TestServer.Fast with { Limits = new GenerationLimits() });
        JsonElement recorded = Recorded("openai-request.json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations")
        {
            Content = new StringContent(recorded.GetProperty("body").GetRawText(), Encoding.UTF8, "application/json"),
        };
        foreach (JsonProperty header in recorded.GetProperty("headers").EnumerateObject().Where(h => h.Name != "Content-Type"))
        {
            request.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
        }

        using HttpResponseMessage response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        JsonElement actual = await TestServer.ReadJsonAsync(response);
        JsonElement expected = Recorded("openai-response.json");

        Assert.Equal(Keys(expected), Keys(actual));
        Assert.Equal(JsonValueKind.Number, actual.GetProperty("created").ValueKind);
        Assert.InRange(actual.GetProperty("created").GetInt64(), 1_700_000_000, 4_000_000_000);
        JsonElement[] data = [.. actual.GetProperty("data").EnumerateArray()];
        Assert.Equal(expected.GetProperty("data").GetArrayLength(), data.Length);
        foreach (JsonElement datum in data)
        {
            Assert.Equal(Keys(expected.GetProperty("data")[0]), Keys(datum));
            DecodedPng png = PngDecoder.Decode(Convert.FromBase64String(datum.GetProperty("b64_json").GetString()!));
            Assert.Equal((256, 256), (png.Width, png.Height));
        }

        Assert.NotEqual(data[0].GetProperty("b64_json").GetString(), data[1].GetProperty("b64_json").GetString());
    }

    [Fact]
    public async Task UrlFormat_ReturnsAbsoluteUrlsThatServeThePng_AndExtensionsApply()
    {
        await using TestServer server = await TestServer.StartAsync();
        (HttpResponseMessage response, JsonElement body) = await server.PostJobAsync(
            new { prompt = "x", size = "48x32", response_format = "url", steps = 3, seed = 99, guidance_scale = 2.0, negative_prompt = "blur", model = "ignored", quality = "hd" },
            "/v1/images/generations");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string url = Assert.Single(body.GetProperty("data").EnumerateArray()).GetProperty("url").GetString()!;
        Assert.StartsWith(server.Server.BaseAddress.ToString().TrimEnd('/') + "/api/v1/images/", url, StringComparison.Ordinal);
        DecodedPng png = PngDecoder.Decode(await server.Http.GetByteArrayAsync(url, TestContext.Current.CancellationToken));
        Assert.Equal((48, 32), (png.Width, png.Height));
        Assert.Contains("Steps: 3, Sampler: FlowMatch Euler, CFG scale: 2, Seed: 99", png.Text["parameters"], StringComparison.Ordinal);
        Assert.Contains("Negative prompt: blur", png.Text["parameters"], StringComparison.Ordinal);
    }

    public static TheoryData<string, int, string, string> Errors => new()
    {
        { """{"prompt": "x", "size": "1000x1000"}""", 400, "size", "size must have both sides multiples of 16 between 32 and 2048, got '1000x1000'." },
        { """{"prompt": "x", "size": "big"}""", 400, "size", "size must be 'WIDTHxHEIGHT' (e.g. '1024x1024') or 'auto', got 'big'." },
        { """{"prompt": "x", "n": 9}""", 400, "n", "n must be between 1 and 8, got 9." },
        { """{"prompt": "x", "response_format": "jpeg"}""", 400, "response_format", "response_format must be 'b64_json' or 'url', got 'jpeg'." },
        { """{"size": "32x32"}""", 400, "prompt", "prompt is required" },
        { """{"prompt": "x", "n": }""", 400, "n", "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Errors_HaveTheRecordedOpenAiShape(string body, int status, string param, string message)
    {
        await using TestServer server = await TestServer.StartAsync();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await server.Http.PostAsync("/v1/images/generations", content, TestContext.Current.CancellationToken);
        Assert.Equal(status, (int)response.StatusCode);
        JsonElement actual = await TestServer.ReadJsonAsync(response);
        JsonElement expected = Recorded("openai-error.json");
        Assert.Equal(Keys(expected), Keys(actual));
        Assert.Equal(Keys(expected.GetProperty("error")), Keys(actual.GetProperty("error")));
        JsonElement error = actual.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("code").ValueKind);
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClientThatDisconnects_CancelsItsJob()
    {
        await using TestServer server = await TestServer.StartAsync();
        server.Generator.Hold();
        using var gone = new CancellationTokenSource();
        Task<HttpResponseMessage> call = server.Http.PostAsync("/v1/images/generations", new StringContent("""{"prompt": "x", "size": "32x32"}""", Encoding.UTF8, "application/json"), gone.Token);
        await server.Generator.BatchArrivedAsync();
        gone.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        Assert.True(server.Jobs.Store.TryGet(FindId(server), out Server.Jobs.GenerationJob job));
        await job.Finished.WaitAsync(ControlledGenerator.Guard, TestContext.Current.CancellationToken);
        Assert.Equal(Server.Jobs.JobStatus.Cancelled, job.Status);
        Assert.Equal("the client disconnected", job.Error);
    }

    private static string FindId(TestServer server)
    {
        // The one job in the store: read it from the structured log of its submission.
        LogRecord queued = server.Logs.Records.Single(r => r.Message.Contains("queued at position", StringComparison.Ordinal));
        return (string)queued.Scope["field:JobId"]!;
    }

    private static string[] Keys(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
