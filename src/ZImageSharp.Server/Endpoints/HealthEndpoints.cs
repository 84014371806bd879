using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ZImageSharp.Server.Generation;
using ZImageSharp.Server.Hosting;

namespace ZImageSharp.Server.Endpoints;

/// <summary>
/// Probes and self-description: <c>/api/v1/health/live</c> (200 as soon as the process serves HTTP),
/// <c>/api/v1/health/ready</c> and <c>/api/v1/health</c> (200 once loaded and warmed up, 503 before, with the phase),
/// and <c>/api/v1/info</c> (model, limits, defaults; what the web UI builds its form from).
/// </summary>
internal static class HealthEndpoints
{
    /// <summary>Adds the routes.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/health/live", context => JobEndpoints.WriteJsonAsync(context, StatusCodes.Status200OK, "{\"status\":\"live\"}"));
        app.MapGet("/api/v1/health/ready", ReadyAsync);
        app.MapGet("/api/v1/health", ReadyAsync);
        app.MapGet("/api/v1/info", InfoAsync);
    }

    private static Task ReadyAsync(HttpContext context)
    {
        ServerState state = context.RequestServices.GetRequiredService<ServerState>();
        string body = Json(json =>
        {
            json.WriteStartObject();
            json.WriteString("status", state.IsReady ? "ready" : state.Phase.ToString().ToLowerInvariant());
            json.WriteString("detail", state.Detail);
            json.WriteEndObject();
        });
        if (!state.IsReady)
        {
            context.Response.Headers.RetryAfter = "5";
        }

        return JobEndpoints.WriteJsonAsync(context, state.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, body);
    }

    private static Task InfoAsync(HttpContext context)
    {
        ServerOptions options = context.RequestServices.GetRequiredService<ServerOptions>();
        ModelDescription model = context.RequestServices.GetRequiredService<ModelDescription>();
        ServerState state = context.RequestServices.GetRequiredService<ServerState>();
        GenerationLimits limits = options.Limits;
        string body = Json(json =>
        {
            json.WriteStartObject();
            json.WriteString("name", "ZImageSharp");
            json.WriteString("version", typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown");
            json.WriteString("model", model.Name);
            json.WriteBoolean("demo", model.IsDemo);
            json.WriteString("device", model.Device);
            json.WriteString("status", state.IsReady ? "ready" : state.Phase.ToString().ToLowerInvariant());
            json.WriteBoolean("auth_required", options.ApiKey is not null);
            json.WriteNumber("max_batch", options.MaxBatch);
            json.WriteNumber("max_queue", options.MaxQueue);
            json.WriteNumber("result_ttl_seconds", options.ResultTtl.TotalSeconds);
            json.WriteStartObject("defaults");
            json.WriteNumber("width", model.DefaultSize);
            json.WriteNumber("height", model.DefaultSize);
            json.WriteNumber("steps", Api.RequestBuilder.DefaultSteps);
            json.WriteNumber("guidance_scale", 0);
            json.WriteEndObject();
            json.WriteStartObject("limits");
            json.WriteNumber("min_size", limits.MinSize);
            json.WriteNumber("max_size", limits.MaxSize);
            json.WriteNumber("size_multiple", limits.SizeMultiple);
            json.WriteNumber("max_steps", limits.MaxSteps);
            json.WriteNumber("max_count", limits.MaxCount);
            json.WriteNumber("max_prompt_bytes", limits.MaxPromptBytes);
            json.WriteNumber("max_guidance_scale", limits.MaxGuidance);
            json.WriteEndObject();
            json.WriteEndObject();
        });
        return JobEndpoints.WriteJsonAsync(context, StatusCodes.Status200OK, body);
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
