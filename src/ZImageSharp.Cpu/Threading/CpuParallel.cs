namespace ZImageSharp.Cpu;

/// <summary>
/// Splits a loop over [0, count) into at most <see cref="Threads"/> contiguous chunks and runs them on the thread
/// pool; small loops run inline. One helper for every kernel, so parallelism is bounded in one place.
/// </summary>
internal sealed class CpuParallel
{
    private readonly ParallelOptions _options;

    public CpuParallel(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        _options = new ParallelOptions { MaxDegreeOfParallelism = threads };
    }

    /// <summary>Worker count.</summary>
    public int Threads { get; }

    /// <summary>Runs <paramref name="body"/>(start, end) over chunks of [0, count).</summary>
    /// <param name="count">Number of work items.</param>
    /// <param name="minItemsPerChunk">Items below which splitting is not worth a thread hand-off.</param>
    /// <param name="body">Processes items [start, end).</param>
    public void For(long count, long minItemsPerChunk, Action<long, long> body)
    {
        if (count <= 0)
        {
            return;
        }

        long chunks = Math.Min(Threads, Math.Max(1, count / Math.Max(1, minItemsPerChunk)));
        if (chunks <= 1)
        {
            body(0, count);
            return;
        }

        long chunkSize = (count + chunks - 1) / chunks;
        Parallel.For(0, (int)chunks, _options, c =>
        {
            long start = c * chunkSize;
            long end = Math.Min(count, start + chunkSize);
            if (start < end)
            {
                body(start, end);
            }
        });
    }
}
