using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ZImageSharp.Server.Api;
using ZImageSharp.Server.Jobs;

namespace ZImageSharp.Server.Endpoints;

/// <summary><c>GET /api/v1/images/{id}</c>: a finished image as PNG, with its parameters in text chunks.</summary>
internal static class ImageEndpoints
{
    /// <summary>Adds the route.</summary>
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/v1/images/{id}", ApiCall.Problem(GetAsync));

    private static async Task GetAsync(HttpContext context)
    {
        string id = (string)context.Request.RouteValues["id"]!;
        JobStore store = context.RequestServices.GetRequiredService<JobScheduler>().Store;
        if (!JobIds.IsWellFormed(id) || !store.TryGetImage(id, out StoredImage image))
        {
            throw new ApiException(404, $"no image {id}: unknown, or expired with its job.", "id");
        }

        HttpResponse response = context.Response;
        response.ContentType = "image/png";
        response.ContentLength = image.Png.Length;
        // An image never changes under its id; private: it may be behind an API key's owner only.
        response.Headers.CacheControl = string.Create(CultureInfo.InvariantCulture, $"private, max-age={(int)store.Ttl.TotalSeconds}, immutable");
        bool download = context.Request.Query.ContainsKey("download");
        response.Headers.ContentDisposition = $"{(download ? "attachment" : "inline")}; filename=\"{image.FileName}\"";
        await response.Body.WriteAsync(image.Png, context.RequestAborted).ConfigureAwait(false);
    }
}
