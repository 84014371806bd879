namespace ZImageSharp.IO.Weights;

/// <summary>A cheap "did you mean" for missing tensor names: names that end with the wanted one, then the closest by edit distance.</summary>
internal static class NameSuggestions
{
    public static IReadOnlyList<string> For(string wanted, IReadOnlyList<string> names, int max = 3)
    {
        // A wrong or missing outer prefix ("model." in text encoders) is the commonest mistake: match on suffix first.
        var result = names.Where(n => n.EndsWith("." + wanted, StringComparison.Ordinal) || wanted.EndsWith("." + n, StringComparison.Ordinal))
            .Take(max)
            .ToList();
        if (result.Count >= max)
        {
            return result;
        }

        int limit = Math.Max(3, wanted.Length / 3);
        var scored = new List<(int Distance, string Name)>();
        foreach (string name in names)
        {
            if (Math.Abs(name.Length - wanted.Length) > limit || result.Contains(name))
            {
                continue;
            }

            int d = Distance(wanted, name, limit);
            if (d <= limit)
            {
                scored.Add((d, name));
            }
        }

        scored.Sort((a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : string.CompareOrdinal(a.Name, b.Name));
        result.AddRange(scored.Take(max - result.Count).Select(s => s.Name));
        return result;
    }

    /// <summary>Levenshtein distance, stopping early (returning limit + 1) once every path exceeds <paramref name="limit"/>.</summary>
    internal static int Distance(string a, string b, int limit)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            int rowMin = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j], current[j - 1]) + 1);
                rowMin = Math.Min(rowMin, current[j]);
            }

            if (rowMin > limit)
            {
                return limit + 1;
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
