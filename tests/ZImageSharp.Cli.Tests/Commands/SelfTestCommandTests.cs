using System.Text.Json;

namespace ZImageSharp.Cli.Tests.Commands;

/// <summary><c>zimage selftest</c> in-process: the CPU backend against the double-precision loops.</summary>
public sealed class SelfTestCommandTests
{
    [Fact]
    public void SelfTest_CpuQuick_PrintsTheDeviceATableAndTheProbes_Exit0()
    {
        CliRun run = CliRun.Of("selftest", "--device", "cpu", "--quick");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        string[] lines = run.Stdout.Split('\n');
        Assert.StartsWith("device: cpu (", lines[0]);
        Assert.StartsWith("reference: double-precision loops; ", lines[1]);
        Assert.Contains(lines, l => l.Contains("op") && l.Contains("NMSE") && l.Contains("max abs") && l.Contains("bound"));

        // One row per case, every op of the catalog among them, each passing.
        string[] rows = [.. lines.Where(l => l.TrimEnd().EndsWith("pass", StringComparison.Ordinal))];
        foreach (string op in new[] { "copy", "cast", "concat", "fill", "index-select", "unary.gelu", "binary.div", "affine", "clamp", "rmsnorm", "rmsnorm-scaled", "layernorm", "groupnorm", "softmax", "matmul", "conv2d", "upsample", "rope", "attention", "swiglu", "reduce.max" })
        {
            Assert.Contains(rows, r => r.TrimStart().StartsWith(op + " ", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(lines, l => l.Contains("FAIL"));
        Assert.Contains(lines, l => l.StartsWith("gemm: 1024x1024x1024 bf16: ") && l.Contains("TFLOP/s"));
        Assert.Contains(lines, l => l.StartsWith("copy: 64 MiB f32: ") && l.Contains("GB/s"));
        Assert.Equal($"all {rows.Length} cases passed", lines.Last(l => l.Length > 0));
    }

    [Fact]
    public void SelfTest_Json_IsOneDocumentWithEveryCase()
    {
        CliRun run = CliRun.Of("selftest", "--device", "cpu", "--quick", "--filter", "groupnorm", "--json");
        Assert.Equal(0, run.ExitCode);
        using JsonDocument doc = JsonDocument.Parse(run.Stdout);
        JsonElement root = doc.RootElement;
        Assert.StartsWith("cpu (", root.GetProperty("device").GetString());
        Assert.Equal("double-precision loops", root.GetProperty("reference").GetString());
        JsonElement[] cases = [.. root.GetProperty("cases").EnumerateArray()];
        Assert.Equal(3, cases.Length);
        Assert.All(cases, c =>
        {
            Assert.Equal("groupnorm", c.GetProperty("op").GetString());
            Assert.True(c.GetProperty("pass").GetBoolean());
            Assert.InRange(c.GetProperty("nmse").GetDouble(), 0, c.GetProperty("nmse_bound").GetDouble());
        });
        Assert.Equal(3, root.GetProperty("passed").GetInt32());
        Assert.Equal(0, root.GetProperty("failed").GetInt32());
    }

    [Fact]
    public void SelfTest_FilterMatchingNothing_IsAUsageError()
    {
        CliRun run = CliRun.Of("selftest", "--device", "cpu", "--filter", "no-such-op");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("zimage: error: --filter no-such-op: no case matches; the ops are copy, ", Assert.Single(run.StderrLines));
    }
}
