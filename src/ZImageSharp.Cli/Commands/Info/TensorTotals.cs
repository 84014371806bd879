using ZImageSharp.IO.Checkpoints;

namespace ZImageSharp.Cli.Commands.Info;

/// <summary>Counts over a set of tensors.</summary>
/// <param name="Tensors">Number of tensors.</param>
/// <param name="Parameters">Sum of element counts.</param>
/// <param name="Bytes">Sum of stored byte lengths.</param>
/// <param name="DTypes">Tensor count per stored dtype name, sorted by name.</param>
internal sealed record TensorTotals(int Tensors, long Parameters, long Bytes, IReadOnlyList<KeyValuePair<string, int>> DTypes)
{
    /// <summary>Totals of a list of tensors.</summary>
    public static TensorTotals Of(IReadOnlyCollection<TensorInfo> tensors) => new(
        tensors.Count,
        tensors.Sum(t => t.ElementCount),
        tensors.Sum(t => t.ByteLength),
        Count(tensors.Select(t => (t.DType.ToString(), 1))));

    /// <summary>The sum of several totals.</summary>
    public static TensorTotals Sum(IReadOnlyCollection<TensorTotals> parts) => new(
        parts.Sum(p => p.Tensors),
        parts.Sum(p => p.Parameters),
        parts.Sum(p => p.Bytes),
        Count(parts.SelectMany(p => p.DTypes).Select(d => (d.Key, d.Value))));

    private static List<KeyValuePair<string, int>> Count(IEnumerable<(string DType, int Count)> items) =>
        [.. items.GroupBy(i => i.DType, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new KeyValuePair<string, int>(g.Key, g.Sum(i => i.Count)))];
}
