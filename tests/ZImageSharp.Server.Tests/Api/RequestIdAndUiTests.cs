using System.Net;
using System.Text;
using System.Text.Json;
using ZImageSharp.Server.Tests.Support;

namespace ZImageSharp.Server.Tests.Api;

/// <summary>Request ids (echoed, logged as a structured scope field, in error bodies), /api/v1/info, and the UI's files.</summary>
public sealed class RequestIdAndUiTests
{
    [Fact]
    public async Task AClientRequestId_IsEchoed_AndCarriedByTheLogsOfThatRequest()
    {
        await using TestServer server = await TestServer.StartAsync();
        server.Generator.Hold();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/generations")
        {
            Content = new StringContent("""{"prompt": "x", "width": 32, "height": 32}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Request-Id", "client-42.a_b");
        using HttpResponseMessage response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("client-42.a_b", response.Headers.GetValues("X-Request-Id").Single());
        string id = (await TestServer.ReadJsonAsync(response)).GetProperty("id").GetString()!;

        LogRecord queued = Assert.Single(server.Logs.Records, r => r.Message.Contains($"Job {id} queued at position", StringComparison.Ordinal));
        Assert.Equal("client-42.a_b", queued.Scope["RequestId"]);
        Assert.Equal(id, queued.Scope["field:JobId"]);
        Assert.Contains(server.Logs.Records, r => r.Message.StartsWith("POST /api/v1/generations -> 202 in ", StringComparison.Ordinal) && (string?)r.Scope["RequestId"] == "client-42.a_b");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("has spaces in it")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task AMissingOrUnacceptableRequestId_IsReplacedByANewOne_ThatErrorBodiesName(string? given)
    {
        await using TestServer server = await TestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/generations/0123456789abcdef0123456789abcdef");
        if (given is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Request-Id", given);
        }

        using HttpResponseMessage response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        string id = response.Headers.GetValues("X-Request-Id").Single();
        Assert.Matches("^[0-9a-f]{16}$", id);
        Assert.Equal(id, (await TestServer.ReadJsonAsync(response)).GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task Info_DescribesTheModelLimitsAndDefaults_TheUiBuildsItsFormFrom()
    {
        await using TestServer server = await TestServer.StartAsync(TestServer.Fast with { MaxBatch = 3, MaxQueue = 9 });
        JsonElement info = await server.GetJsonAsync("/api/v1/info");
        Assert.Equal(("ZImageSharp", true, "cpu", "ready", false), (info.GetProperty("name").GetString(), info.GetProperty("demo").GetBoolean(), info.GetProperty("device").GetString(), info.GetProperty("status").GetString(), info.GetProperty("auth_required").GetBoolean()));
        Assert.Equal(Pipelines.DemoModel.Description, info.GetProperty("model").GetString());
        Assert.Equal((3, 9, 3600.0), (info.GetProperty("max_batch").GetInt32(), info.GetProperty("max_queue").GetInt32(), info.GetProperty("result_ttl_seconds").GetDouble()));
        JsonElement defaults = info.GetProperty("defaults");
        Assert.Equal((256, 256, 8, 0.0), (defaults.GetProperty("width").GetInt32(), defaults.GetProperty("height").GetInt32(), defaults.GetProperty("steps").GetInt32(), defaults.GetProperty("guidance_scale").GetDouble()));
        JsonElement limits = info.GetProperty("limits");
        Assert.Equal((32, 2048, 16, 100, 8, 8192), (limits.GetProperty("min_size").GetInt32(), limits.GetProperty("max_size").GetInt32(), limits.GetProperty("size_multiple").GetInt32(), limits.GetProperty("max_steps").GetInt32(), limits.GetProperty("max_count").GetInt32(), limits.GetProperty("max_prompt_bytes").GetInt32()));
    }

    [Theory]
    [InlineData("/", "text/html", "<button type=\"button\" id=\"lang-zh\" data-lang=\"zh\"")]
    [InlineData("/index.html", "text/html", "<script src=\"/app.js\"></script>")]
    [InlineData("/app.js", "text/javascript", "\"stage.denoising\": \"去噪：第 {i} / {n} 步\"")]
    [InlineData("/app.css", "text/css", "[hidden] { display: none !important; }")]
    public async Task TheUiFiles_AreServedFromTheAssembly(string path, string mediaType, string excerpt)
    {
        await using TestServer server = await TestServer.StartAsync();
        using HttpResponseMessage response = await server.Http.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((mediaType, "utf-8"), (response.Content.Headers.ContentType!.MediaType, response.Content.Headers.ContentType.CharSet));
        Assert.True(response.Headers.CacheControl!.NoCache);
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains(excerpt, text, StringComparison.Ordinal);
        Assert.Equal(response.Content.Headers.ContentLength, Encoding.UTF8.GetByteCount(text));
    }
}
