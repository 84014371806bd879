using ZImageSharp.IO.Tests.Support;

namespace ZImageSharp.Cli.Tests.Commands;

/// <summary>
/// <c>zimage serve</c>'s refusals: one error line and exit code 2 before anything listens or loads (a server that
/// starts is tested in the server's own suite and by bench/server-load.sh).
/// </summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string[], string> Refused => new()
    {
        { ["--max-queue", "0"], "zimage: error: --max-queue must be at least 1, got 0." },
        { ["--max-batch", "0"], "zimage: error: --max-batch must be at least 1, got 0." },
        { ["--warmup", "-1"], "zimage: error: --warmup must be 0 or more, got -1." },
        { ["--port", "70000"], "zimage: error: --port must be between 0 and 65535, got 70000." },
        { ["--result-ttl", "0"], "zimage: error: --result-ttl must be between 0 and 10080 minutes (a week), got 0." },
        { ["--host", "example.org", "--api-key", "k"], "zimage: error: --host example.org: give an IP address (127.0.0.1, 0.0.0.0, ::1, ::) or localhost." },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Serve_BadOption_IsOneErrorLine_Exit2(string[] arguments, string expected)
    {
        CliRun run = CliRun.Of(["serve", "--model", _dir.Path, .. arguments]);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(expected, Assert.Single(run.StderrLines));
    }

    [Fact]
    public void Serve_OnAPublicAddressWithoutAKey_IsRefusedUnlessInsecure()
    {
        // $ZIMAGE_API_KEY would supply the key: this test needs a machine without one.
        Assert.SkipWhen(!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ZIMAGE_API_KEY")), "ZIMAGE_API_KEY is set on this machine");
        CliRun run = CliRun.Of("serve", "--host", "0.0.0.0", "--model", _dir.Path);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            "zimage: error: --host 0.0.0.0 is reachable from other machines: give --api-key KEY (or $ZIMAGE_API_KEY), or --insecure to serve without authentication.",
            Assert.Single(run.StderrLines));
    }

    [Fact]
    public void Serve_MissingModelFolder_IsOneErrorLineNamingIt()
    {
        string missing = _dir.File("no-such-model");
        CliRun run = CliRun.Of("serve", "--model", missing);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"zimage: error: --model {missing}: no such folder.", Assert.Single(run.StderrLines));
    }

    [Fact]
    public void Serve_Help_ListsTheOptionsOfTheIssue()
    {
        CliRun run = CliRun.Of("serve", "--help");
        Assert.Equal(0, run.ExitCode);
        foreach (string option in new[] { "--model", "--host", "--port", "--api-key", "--insecure", "--max-queue", "--max-batch", "--warmup", "--output-dir" })
        {
            Assert.Contains(option, run.Stdout, StringComparison.Ordinal);
        }
    }
}
