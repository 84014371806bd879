using ZImageSharp.Cpu;
using ZImageSharp.Verification;

namespace ZImageSharp.Verification.Tests;

/// <summary>The quick catalog on the CPU backend against the double-precision loops: what <c>zimage selftest --device cpu</c> checks.</summary>
public sealed class QuickCatalogTests(ITestOutputHelper output)
{
    [Fact]
    public void QuickCatalog_OnTheCpuBackend_PassesAgainstTheDoubleLoops()
    {
        IReadOnlyList<OpCase> cases = SelfTestRunner.Select(OpCatalog.All, quick: true, filter: null);
        IReadOnlyList<CaseResult> results = SelfTestRunner.Run(CpuBackend.Default, LoopReference.Instance, cases);
        foreach (CaseResult r in results.OrderByDescending(r => r.Nmse / Math.Max(r.Bound.Nmse, 1e-300)).Take(15))
        {
            output.WriteLine($"{r.Op} {r.Case} {r.DType}: nmse {r.Nmse:E2} (≤ {r.Bound.Nmse:E0}), max abs {r.MaxAbs:E2} (≤ {r.MaxAbsBound:E2}) {r.Seconds:F3}s {r.Error}");
        }

        string[] failed = [.. results.Where(r => !r.Passed).Select(r => $"{r.Op} {r.Case} {r.DType}: nmse {r.Nmse:E2}, max abs {r.MaxAbs:E2} of {r.MaxAbsBound:E2} {r.Error}")];
        Assert.True(failed.Length == 0, string.Join("\n", failed));
        Assert.Equal(cases.Count, results.Count);
    }
}
