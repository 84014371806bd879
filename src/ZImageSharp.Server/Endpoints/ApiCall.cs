using Microsoft.AspNetCore.Http;
using ZImageSharp.Server.Api;

namespace ZImageSharp.Server.Endpoints;

/// <summary>Runs a handler and turns an <see cref="ApiException"/> into the error shape of its API.</summary>
internal static class ApiCall
{
    /// <summary>A job-API handler: errors as problem details.</summary>
    public static RequestDelegate Problem(Func<HttpContext, Task> handler) => context => RunAsync(context, handler, ErrorResponses.WriteProblemAsync);

    /// <summary>An OpenAI-API handler: errors in OpenAI's shape.</summary>
    public static RequestDelegate OpenAi(Func<HttpContext, Task> handler) => context => RunAsync(context, handler, ErrorResponses.WriteOpenAiAsync);

    private static async Task RunAsync(HttpContext context, Func<HttpContext, Task> handler, Func<HttpContext, ApiException, Task> writeError)
    {
        try
        {
            await handler(context).ConfigureAwait(false);
        }
        catch (ApiException e) when (!context.Response.HasStarted)
        {
            await writeError(context, e).ConfigureAwait(false);
        }
    }
}
