using Microsoft.Extensions.Hosting;
using ZImageSharp.Server.Jobs;

namespace ZImageSharp.Server.Hosting;

/// <summary>Frees expired jobs and images every minute, so results nobody asks for again do not stay in memory.</summary>
internal sealed class StoreSweeper(JobScheduler jobs) : BackgroundService
{
    private static readonly TimeSpan s_period = TimeSpan.FromMinutes(1);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A real-time timer on purpose: the TTL itself is judged by the injected clock at each sweep.
        using var timer = new PeriodicTimer(s_period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                jobs.Store.Sweep();
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown.
        }
    }
}
