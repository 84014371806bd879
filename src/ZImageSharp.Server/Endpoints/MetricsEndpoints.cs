using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ZImageSharp.Server.Generation;
using ZImageSharp.Server.Hosting;
using ZImageSharp.Server.Jobs;
using ZImageSharp.Server.Metrics;
using ZImageSharp.Tensors;

namespace ZImageSharp.Server.Endpoints;

/// <summary><c>GET /metrics</c>: the Prometheus text exposition (see <see cref="ServerMetrics"/>).</summary>
internal static class MetricsEndpoints
{
    /// <summary>Adds the route.</summary>
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/metrics", WriteAsync);

    private static Task WriteAsync(HttpContext context)
    {
        JobScheduler jobs = context.RequestServices.GetRequiredService<JobScheduler>();
        ServerState state = context.RequestServices.GetRequiredService<ServerState>();
        ModelDescription model = context.RequestServices.GetRequiredService<ModelDescription>();
        MemoryStatistics? pool = context.RequestServices.GetRequiredService<GeneratorHolder>().Generator?.Memory;
        jobs.Store.Sweep();
        string text = jobs.Metrics.Write(jobs.Queue.Count, jobs.Queue.Capacity, state.IsReady, jobs.Store.JobCount, jobs.Store.ImageBytes, model.Device, pool);
        context.Response.ContentType = PrometheusWriter.ContentType;
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
