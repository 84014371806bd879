namespace ZImageSharp.Server.Metrics;

/// <summary>A Prometheus histogram: counts per upper bound (cumulative when written), sum and count. Thread-safe.</summary>
public sealed class Histogram
{
    private readonly Lock _lock = new();
    private readonly long[] _counts;
    private double _sum;
    private long _count;

    /// <summary>Creates a histogram with the given upper bounds (ascending); +Inf is implied.</summary>
    public Histogram(IReadOnlyList<double> bounds)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        for (int i = 1; i < bounds.Count; i++)
        {
            if (!(bounds[i] > bounds[i - 1]))
            {
                throw new ArgumentException("histogram bounds must be strictly ascending.", nameof(bounds));
            }
        }

        Bounds = [.. bounds];
        _counts = new long[Bounds.Count];
    }

    /// <summary>Bounds for durations in seconds: 10 ms to 10 minutes.</summary>
    public static IReadOnlyList<double> SecondsBounds { get; } = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    /// <summary>The upper bounds, without +Inf.</summary>
    public IReadOnlyList<double> Bounds { get; }

    /// <summary>Adds one observation.</summary>
    public void Observe(double value)
    {
        lock (_lock)
        {
            _sum += value;
            _count++;
            for (int i = 0; i < Bounds.Count; i++)
            {
                if (value <= Bounds[i])
                {
                    _counts[i]++;
                    break;
                }
            }
        }
    }

    /// <summary>A consistent copy: cumulative counts per bound (then +Inf = count), sum and count.</summary>
    public (long[] Cumulative, double Sum, long Count) Snapshot()
    {
        lock (_lock)
        {
            long[] cumulative = new long[Bounds.Count];
            long running = 0;
            for (int i = 0; i < Bounds.Count; i++)
            {
                running += _counts[i];
                cumulative[i] = running;
            }

            return (cumulative, _sum, _count);
        }
    }
}
