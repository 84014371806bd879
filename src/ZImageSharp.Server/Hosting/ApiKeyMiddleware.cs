using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using ZImageSharp.Server.Api;

namespace ZImageSharp.Server.Hosting;

/// <summary>
/// With an API key, every API call needs <c>Authorization: Bearer KEY</c>. Open without it: the UI's files, the health
/// probes, <c>/api/v1/info</c> (the UI asks it whether to show a key field), and image downloads, whose 128-bit random
/// ids are capabilities like signed URLs (so <c>&lt;img src&gt;</c> and OpenAI's <c>url</c> responses work without headers).
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ServerOptions options)
{
    private readonly byte[]? _keyHash = options.ApiKey is { } key ? SHA256.HashData(Encoding.UTF8.GetBytes(key)) : null;

    /// <summary>Lets the request through or answers 401.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (_keyHash is null || IsOpen(context.Request.Path) || HasKey(context.Request))
        {
            return next(context);
        }

        var error = new ApiException(StatusCodes.Status401Unauthorized, "a valid API key is required: send the header 'Authorization: Bearer KEY'.", code: "invalid_api_key");
        return context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal)
            ? ErrorResponses.WriteOpenAiAsync(context, error)
            : ErrorResponses.WriteProblemAsync(context, error);
    }

    /// <summary>True for paths anyone may read.</summary>
    internal static bool IsOpen(PathString path) =>
        (!path.StartsWithSegments("/api", StringComparison.Ordinal) && !path.StartsWithSegments("/v1", StringComparison.Ordinal) && path != "/metrics")
        || path.StartsWithSegments("/api/v1/health", StringComparison.Ordinal)
        || path == "/api/v1/info"
        || path.StartsWithSegments("/api/v1/images", StringComparison.Ordinal);

    private bool HasKey(HttpRequest request)
    {
        string header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Compare hashes in constant time: neither the key's length nor its prefix leaks through timing.
        byte[] given = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, _keyHash);
    }
}
