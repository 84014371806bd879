namespace ZImageSharp.IO.Weights;

/// <summary>The bookkeeping a root <see cref="WeightMap"/> shares with every map derived from it. Thread-safe.</summary>
internal sealed class WeightUsage
{
    private readonly HashSet<string> _consumed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _missing = new(StringComparer.Ordinal);
    private readonly List<string> _mismatched = [];
    private readonly Lock _lock = new();

    public void Consumed(string name)
    {
        lock (_lock)
        {
            _consumed.Add(name);
        }
    }

    public void Missing(string name)
    {
        lock (_lock)
        {
            _missing.Add(name);
        }
    }

    public void Mismatched(string description)
    {
        lock (_lock)
        {
            _mismatched.Add(description);
        }
    }

    public string[] MismatchedUnder(string prefix)
    {
        lock (_lock)
        {
            string[] items = [.. _mismatched.Where(d => WeightMap.IsUnder(d[..d.IndexOf(':', StringComparison.Ordinal)], prefix))];
            Array.Sort(items, StringComparer.Ordinal);
            return items;
        }
    }

    public bool IsConsumed(string name)
    {
        lock (_lock)
        {
            return _consumed.Contains(name);
        }
    }

    public string[] MissingUnder(string prefix)
    {
        lock (_lock)
        {
            string[] names = [.. _missing.Where(n => WeightMap.IsUnder(n, prefix))];
            Array.Sort(names, StringComparer.Ordinal);
            return names;
        }
    }
}
