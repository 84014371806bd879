using Microsoft.Extensions.Hosting;

namespace ZImageSharp.Server.Hosting;

/// <summary>A host lifetime that registers no signal handlers: the embedding code (tests) stops the server.</summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    /// <inheritdoc/>
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
