using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ZImageSharp.Server.Hosting;

/// <summary>
/// Gives every request an id (the client's <c>X-Request-Id</c> when it is a short token, else a new one), echoes it in
/// the response, puts it in the logging scope of everything the request logs, and logs one line per request.
/// </summary>
internal sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    /// <summary>The header carrying the id both ways.</summary>
    public const string Header = "X-Request-Id";

    /// <summary>Runs the request inside its id's scope.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        string id = IsAcceptable(context.Request.Headers[Header].ToString()) ? context.Request.Headers[Header].ToString() : Jobs.JobIds.New()[..16];
        context.TraceIdentifier = id;
        context.Response.Headers[Header] = id;
        using IDisposable? scope = logger.BeginScope(new RequestScope(id));
        long start = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            string path = context.Request.Path.Value ?? "/";
            // Probes and scrapes arrive every few seconds; they are logged at Debug so they do not drown the jobs.
            if (path.StartsWith("/api/v1/health", StringComparison.Ordinal) || path == "/metrics")
            {
                ServerLog.QuietRequest(logger, context.Request.Method, path, context.Response.StatusCode, ms);
            }
            else
            {
                ServerLog.Request(logger, context.Request.Method, path, context.Response.StatusCode, ms);
            }
        }
    }

    private static bool IsAcceptable(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
