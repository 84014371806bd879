using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ZImageSharp.Server.Tests.Support;

namespace ZImageSharp.Server.Tests.Api;

/// <summary>API keys: on (every API call needs the bearer token, probes and UI stay open) and off; binding rules.</summary>
public sealed class AuthTests
{
    private const string Key = "s3cret-key";

    [Fact]
    public async Task WithAKey_ApiCallsNeedTheBearerToken()
    {
        await using TestServer server = await TestServer.StartAsync(TestServer.Fast with { ApiKey = Key });
        var body = new { prompt = "x", width = 32, height = 32, steps = 1 };

        using HttpResponseMessage none = await server.Http.PostAsJsonAsync("/api/v1/generations", body, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("Authorization: Bearer", (await TestServer.ReadJsonAsync(none)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(server, HttpMethod.Post, "/api/v1/generations", body, "wrong-key")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(server, HttpMethod.Post, "/api/v1/generations", body, Key + "x")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(server, HttpMethod.Get, "/metrics", null, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(server, HttpMethod.Get, "/api/v1/generations/0123456789abcdef0123456789abcdef", null, null)).StatusCode);

        using HttpResponseMessage openAi = await SendAsync(server, HttpMethod.Post, "/v1/images/generations", new { prompt = "x", size = "32x32" }, null);
        Assert.Equal(HttpStatusCode.Unauthorized, openAi.StatusCode);
        JsonElement error = (await TestServer.ReadJsonAsync(openAi)).GetProperty("error");
        Assert.Equal(("invalid_request_error", "invalid_api_key"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));

        using HttpResponseMessage accepted = await SendAsync(server, HttpMethod.Post, "/api/v1/generations", body, Key);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        string id = (await TestServer.ReadJsonAsync(accepted)).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server, HttpMethod.Get, "/metrics", null, Key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server, HttpMethod.Get, $"/api/v1/generations/{id}", null, "  " + Key + " ", scheme: "bearer")).StatusCode);

        // Open without a key: probes, self-description, the UI, and image downloads (their ids are capabilities).
        foreach (string path in new[] { "/api/v1/health/live", "/api/v1/health/ready", "/api/v1/info", "/", "/app.js", "/app.css" })
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(server, HttpMethod.Get, path, null, null)).StatusCode);
        }

        Assert.True((await TestServer.ReadJsonAsync(await SendAsync(server, HttpMethod.Get, "/api/v1/info", null, null))).GetProperty("auth_required").GetBoolean());
        Assert.True(server.Jobs.Store.TryGet(id, out Server.Jobs.GenerationJob finished));
        await finished.Finished.WaitAsync(ControlledGenerator.Guard, TestContext.Current.CancellationToken);
        JsonElement job = await TestServer.ReadJsonAsync(await SendAsync(server, HttpMethod.Get, $"/api/v1/generations/{id}", null, Key));
        string image = job.GetProperty("images")[0].GetProperty("url").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server, HttpMethod.Get, image, null, null)).StatusCode);
    }

    [Fact]
    public async Task WithoutAKey_EverythingIsOpen()
    {
        await using TestServer server = await TestServer.StartAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(server, HttpMethod.Post, "/api/v1/generations", new { prompt = "x", width = 32, height = 32, steps = 1 }, null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server, HttpMethod.Get, "/metrics", null, null)).StatusCode);
        Assert.False((await server.GetJsonAsync("/api/v1/info")).GetProperty("auth_required").GetBoolean());
    }

    [Theory]
    [InlineData("0.0.0.0", null, false, "--host 0.0.0.0 is reachable from other machines: give --api-key KEY")]
    [InlineData("::", null, false, "--host :: is reachable")]
    [InlineData("192.168.1.10", null, false, "reachable from other machines")]
    [InlineData("example.org", "k", false, "--host example.org: give an IP address")]
    [InlineData("127.0.0.1", "", false, "--api-key must not be empty.")]
    public void UnsafeOrInvalidBindings_AreRefused(string host, string? key, bool insecure, string message)
    {
        var e = Assert.Throws<ServerOptionsException>(() => new ServerOptions { Host = host, ApiKey = key, Insecure = insecure }.Validate());
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", null, false)]
    [InlineData("127.0.0.2", null, false)]
    [InlineData("localhost", null, false)]
    [InlineData("::1", null, false)]
    [InlineData("[::1]", null, false)]
    [InlineData("0.0.0.0", "key", false)]
    [InlineData("0.0.0.0", null, true)]
    public void LoopbackOrKeyedOrInsecureBindings_AreAllowed(string host, string? key, bool insecure) =>
        new ServerOptions { Host = host, ApiKey = key, Insecure = insecure }.Validate();

    private static async Task<HttpResponseMessage> SendAsync(TestServer server, HttpMethod method, string path, object? body, string? key, string scheme = "Bearer")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {key}");
        }

        return await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
