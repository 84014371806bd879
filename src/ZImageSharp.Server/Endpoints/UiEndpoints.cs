using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ZImageSharp.Server.Endpoints;

/// <summary>The web UI: three plain files embedded in this assembly (wwwroot/), served as they are; no build step.</summary>
internal static class UiEndpoints
{
    private static readonly (string Path, string Resource, string ContentType)[] s_files =
    [
        ("/", "wwwroot/index.html", "text/html; charset=utf-8"),
        ("/index.html", "wwwroot/index.html", "text/html; charset=utf-8"),
        ("/app.css", "wwwroot/app.css", "text/css; charset=utf-8"),
        ("/app.js", "wwwroot/app.js", "text/javascript; charset=utf-8"),
    ];

    /// <summary>Adds the routes.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach ((string path, string resource, string contentType) in s_files)
        {
            byte[] content = Read(resource);
            app.MapGet(path, async context =>
            {
                context.Response.ContentType = contentType;
                // Revalidate every time: the files change with the server binary, and they are small.
                context.Response.Headers.CacheControl = "no-cache";
                context.Response.ContentLength = content.Length;
                await context.Response.Body.WriteAsync(content, context.RequestAborted).ConfigureAwait(false);
            });
        }
    }

    /// <summary>An embedded file's bytes.</summary>
    internal static byte[] Read(string resource)
    {
        using Stream stream = typeof(UiEndpoints).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the web UI file {resource} is not embedded in the server assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
