using System.Diagnostics;
using ZImageSharp.Tensors;

namespace ZImageSharp.Verification;

/// <summary>Runs catalog cases on a backend and holds each output to its bound against a reference.</summary>
public static class SelfTestRunner
{
    /// <summary>The cases of <paramref name="catalog"/> selected by <paramref name="quick"/> and <paramref name="filter"/>
    /// (a case matches when its op or name contains the text, ignoring case).</summary>
    public static IReadOnlyList<OpCase> Select(IEnumerable<OpCase> catalog, bool quick, string? filter)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return [.. catalog.Where(c => (!quick || c.Quick) && (string.IsNullOrEmpty(filter)
            || c.Op.Contains(filter, StringComparison.OrdinalIgnoreCase)
            || c.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)
            || c.DType.ToString().Equals(filter, StringComparison.OrdinalIgnoreCase)))];
    }

    /// <summary>Runs every case on <paramref name="backend"/>; <paramref name="onResult"/> sees each result as it comes.</summary>
    /// <remarks>An op that throws fails its case with the message; the run goes on with the next case.</remarks>
    public static IReadOnlyList<CaseResult> Run(IBackend backend, ICaseReference reference, IEnumerable<OpCase> cases, Action<CaseResult>? onResult = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(cases);
        var results = new List<CaseResult>();
        foreach (OpCase c in cases)
        {
            CaseResult result = RunOne(backend, reference, c);
            results.Add(result);
            onResult?.Invoke(result);
        }

        return results;
    }

    /// <summary>Runs one case.</summary>
    public static CaseResult RunOne(IBackend backend, ICaseReference reference, OpCase c)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(c);
        IReadOnlyList<HostInput> inputs = c.CreateInputs();
        double[] expected = reference.Expected(c, inputs);
        long start = Stopwatch.GetTimestamp();
        try
        {
            double[] actual;
            using (Tensor output = c.Run(backend, inputs))
            {
                backend.Synchronize();
                actual = HostTransfer.Download(output);
            }

            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            ErrorMetrics e = ErrorMetrics.Compare(actual, expected);
            return new CaseResult(c.Op, c.Name, c.DType, e.Nmse, e.MaxAbs, e.MaxReference, c.Bound, seconds);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A failing op (an unsupported dtype, a launch error) is a failed case, not the end of the self-test.
            string message = $"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}";
            return new CaseResult(c.Op, c.Name, c.DType, double.NaN, double.NaN, 0, c.Bound, Stopwatch.GetElapsedTime(start).TotalSeconds, message);
        }
    }
}
