using System.CommandLine;

namespace ZImageSharp.Cli.Tests;

public sealed class CliAppTests
{
    [Fact]
    public void Version_PrintsTheVersion()
    {
        CliRun run = CliRun.Of("--version");
        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", run.Stdout);
    }

    [Fact]
    public void Help_ListsTheCommands()
    {
        CliRun run = CliRun.Of("--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("info <path>", run.Stdout);
        Assert.Contains("tokenize <prompt>", run.Stdout);
        Assert.Contains("generate", run.Stdout);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bogus")]
    [InlineData("info")]
    [InlineData("info a b")]
    [InlineData("info --no-such-option")]
    public void UsageError_PrintsOneErrorLineAndExits2(string commandLine)
    {
        CliRun run = CliRun.Of(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.StderrLines);
        Assert.StartsWith("zimage: error: ", line);
        Assert.EndsWith("(see 'zimage --help')", line);
    }

    [Fact]
    public void UnexpectedException_Exits1WithTheMessageAndNoStackTrace()
    {
        CliRun run = CliRun.With(Boom, "boom");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["zimage: error: unexpected InvalidOperationException: kaboom"], run.StderrLines);
    }

    [Fact]
    public void UnexpectedException_WithVerbose_AddsTheStackTrace()
    {
        CliRun run = CliRun.With(Boom, "boom", "--verbose");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("zimage: error: unexpected InvalidOperationException: kaboom", run.StderrLines[0]);
        Assert.Contains(run.StderrLines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    private static void Boom(RootCommand root)
    {
        var command = new Command("boom");
        command.SetAction((ParseResult _) => (int)Fail());
        root.Subcommands.Add(command);
    }

    private static double Fail() => throw new InvalidOperationException("kaboom");
}
