using System.CommandLine;

namespace ZImageSharp.Cli.Tests;

/// <summary>The result of one in-process `zimage` run.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static CliRun Of(params string[] args) => With(null, args);

    public static CliRun With(Action<RootCommand>? configure, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr, configure);
        return new CliRun(code, stdout.ToString().ReplaceLineEndings("\n"), stderr.ToString().ReplaceLineEndings("\n"));
    }
}
