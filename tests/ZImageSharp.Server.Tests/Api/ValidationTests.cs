using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ZImageSharp.Server.Tests.Support;

namespace ZImageSharp.Server.Tests.Api;

/// <summary>
/// Every validation error, against the DEFAULT limits (sizes multiples of 16 in [256, 2048], steps 1..100, count 1..8,
/// prompts ≤ 8 KB, 64 KB bodies): a 400 application/problem+json naming the field. Accepted requests queue behind a
/// held worker, so nothing is generated.
/// </summary>
public sealed class ValidationTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync(TestServer.Fast with { Limits = new GenerationLimits(), MaxQueue = 1000 });
        _server.Generator.Hold();
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void DefaultLimits_AreTheDocumentedOnes()
    {
        var limits = new GenerationLimits();
        Assert.Equal((256, 2048, 16, 100, 8, 8192, 65536), (limits.MinSize, limits.MaxSize, limits.SizeMultiple, limits.MaxSteps, limits.MaxCount, limits.MaxPromptBytes, limits.MaxBodyBytes));
        var options = new ServerOptions();
        Assert.Equal(("127.0.0.1", 7860, 64, 4, 1), (options.Host, options.Port, options.MaxQueue, options.MaxBatch, options.Warmup));
    }

    public static TheoryData<string, string, string> Invalid => new()
    {
        { """{"width": 1000}""", "width", "width must be a multiple of 16 between 256 and 2048, got 1000." },
        { """{"width": 240}""", "width", "got 240" },
        { """{"height": 2064}""", "height", "height must be a multiple of 16 between 256 and 2048, got 2064." },
        { """{"steps": 0}""", "steps", "steps must be between 1 and 100, got 0." },
        { """{"steps": 101}""", "steps", "got 101" },
        { """{"count": 0}""", "count", "count must be between 1 and 8, got 0." },
        { """{"count": 9}""", "count", "got 9" },
        { """{"guidance_scale": -1}""", "guidance_scale", "guidance_scale must be between 0 and 50" },
        { """{"seed": -2}""", "seed", "seed must be 0 or more (or -1 for a random one), got -2." },
        { """{"steps": "eight"}""", "steps", "steps must be an integer, got \"eight\"." },
        { """{"steps": 8.5}""", "steps", "steps must be an integer, got 8.5." },
        { """{"width": true}""", "width", "width must be an integer, got a boolean." },
        { """{"negative_prompt": 3}""", "negative_prompt", "negative_prompt must be a string, got 3." },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task InvalidField_Is400ProblemNamingTheField(string extra, string field, string message)
    {
        // Each case is a valid request with one field replaced.
        using JsonDocument patch = JsonDocument.Parse(extra);
        var body = new Dictionary<string, object?> { ["prompt"] = "a red fox" };
        foreach (JsonProperty property in patch.RootElement.EnumerateObject())
        {
            body[property.Name] = property.Value;
        }

        await AssertProblemAsync(JsonSerializer.Serialize(body), field, message);
    }

    [Theory]
    [InlineData("""{"width": 256}""", "prompt", "prompt is required: say what to draw.")]
    [InlineData("""{"prompt": "   "}""", "prompt", "prompt must not be empty.")]
    [InlineData("""{"prompt": 42}""", "prompt", "prompt must be a string, got 42.")]
    [InlineData("""{"prompt": "x", "steps": }""", "steps", "the body is not valid JSON after \"steps\" (line 1, byte")]
    [InlineData("""{"prompt": "x", "width": 256""", "width", "the body is not valid JSON after \"width\"")]
    [InlineData("""{"prompt": "x",}""", "prompt", "not valid JSON")]
    [InlineData("""not json""", "body", "the body is not valid JSON (line 1, byte 2)")]
    [InlineData("""[{"prompt": "x"}]""", "body", "the body must be a JSON object, got an array.")]
    [InlineData("", "body", "the body is empty")]
    public async Task MalformedBodies_Are400ProblemNamingTheField(string body, string field, string message) =>
        await AssertProblemAsync(body, field, message);

    [Fact]
    public async Task Prompts_AreLimitedTo8KBOfUtf8()
    {
        string fits = new('狐', 8192 / 3); // 3 bytes each: 8190 bytes
        Assert.Equal(HttpStatusCode.Accepted, (await _server.PostJobAsync(new { prompt = fits })).Response.StatusCode);
        await AssertProblemAsync(JsonSerializer.Serialize(new { prompt = fits + "ab1" }), "prompt", "prompt must be at most 8192 bytes of UTF-8, got 8193.");
        await AssertProblemAsync(JsonSerializer.Serialize(new { prompt = "x", negative_prompt = new string('n', 8193) }), "negative_prompt", "got 8193");
    }

    [Fact]
    public async Task BodiesOverTheLimit_Are413()
    {
        string huge = JsonSerializer.Serialize(new { prompt = "x", padding = new string(' ', 70_000) });
        await AssertProblemAsync(huge, "body", "the body is larger than 65536 bytes", HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task UnknownFields_AreIgnored_AndAnyContentTypeIsRead()
    {
        using var content = new StringContent("""{"prompt": "x", "sampler": "euler", "extra": {"nested": [1, 2]}, "seed": -1}""", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded"); // what curl -d sends
        using HttpResponseMessage response = await _server.Http.PostAsync("/api/v1/generations", content, TestContext.Current.CancellationToken);
        JsonElement job = await TestServer.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        JsonElement request = job.GetProperty("request");
        Assert.Equal((256, 256, 8, 1), (request.GetProperty("width").GetInt32(), request.GetProperty("height").GetInt32(), request.GetProperty("steps").GetInt32(), request.GetProperty("count").GetInt32()));
        Assert.InRange(request.GetProperty("seed").GetUInt64(), 0UL, (1UL << 53) - 1);
    }

    [Fact]
    public async Task EdgesOfTheLimits_AreAccepted()
    {
        foreach (object body in new object[]
        {
            new { prompt = "x", width = 256, height = 2048, steps = 1, count = 8, guidance_scale = 50, seed = 0 },
            new { prompt = "x", width = 2048, height = 256, steps = 100, count = 1, seed = long.MaxValue },
        })
        {
            Assert.Equal(HttpStatusCode.Accepted, (await _server.PostJobAsync(body)).Response.StatusCode);
        }
    }

    [Fact]
    public async Task LimitsWiderThanThePipelines_AreStillRefusedAtTheDoor_NamingTheClientsField()
    {
        // An embedder may widen the server's limits past what the pipeline itself takes (1000 steps, 64 images): the
        // request is refused with a 400, not accepted and failed later.
        await using TestServer wide = await TestServer.StartAsync(TestServer.Fast with { Limits = TestServer.FastLimits with { MaxSteps = 5000, MaxCount = 100 } });
        wide.Generator.Hold();
        await AssertProblemAsync(wide, JsonSerializer.Serialize(new { prompt = "x", width = 32, height = 32, steps = 1500 }), "steps", "steps must be between 1 and 1000, got 1500.");
        await AssertProblemAsync(wide, JsonSerializer.Serialize(new { prompt = "x", width = 32, height = 32, count = 70 }), "count", "count must be between 1 and 64, got 70.");

        using HttpResponseMessage openAi = await wide.Http.PostAsync(
            "/v1/images/generations",
            new StringContent("""{"prompt": "x", "size": "32x32", "n": 70}""", Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, openAi.StatusCode);
        JsonElement error = (await TestServer.ReadJsonAsync(openAi)).GetProperty("error");
        Assert.Equal(("n", "n must be between 1 and 64, got 70."), (error.GetProperty("param").GetString(), error.GetProperty("message").GetString()));
        Assert.Equal(0, wide.Jobs.Store.JobCount);
    }

    private Task AssertProblemAsync(string body, string field, string message, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        AssertProblemAsync(_server, body, field, message, status);

    private static async Task AssertProblemAsync(TestServer server, string body, string field, string message, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await server.Http.PostAsync("/api/v1/generations", content, TestContext.Current.CancellationToken);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        JsonElement problem = await TestServer.ReadJsonAsync(response);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(field, problem.GetProperty("field").GetString());
        string detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(message, detail, StringComparison.Ordinal);
        Assert.Equal(detail, problem.GetProperty("errors").GetProperty(field)[0].GetString());
        Assert.DoesNotContain("   at ", detail, StringComparison.Ordinal); // never a stack trace
    }
}
