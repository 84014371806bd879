using System.CommandLine;
using ZImageSharp.Cli.Commands;
using ZImageSharp.IO.Checkpoints;
using ZImageSharp.Models;
using ZImageSharp.Pipelines;
using ZImageSharp.Tokenizers;

namespace ZImageSharp.Cli;

/// <summary>
/// The <c>zimage</c> command line: builds the command tree, runs it, and turns every failure into one
/// <c>zimage: error: ...</c> line on stderr and an exit code (see <see cref="ExitCodes"/>).
/// </summary>
internal static class CliApp
{
    /// <summary>Setting this environment variable to 1 has the effect of <c>--verbose</c>.</summary>
    public const string VerboseVariable = "ZIMAGE_VERBOSE";

    /// <summary>Runs the command line with the given arguments and output writers; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, configure: null);

    /// <summary>As <see cref="Run(string[], TextWriter, TextWriter)"/>; <paramref name="configure"/> may add commands (tests use it).</summary>
    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, Action<RootCommand>? configure)
    {
        ArgumentNullException.ThrowIfNull(args);
        var verbose = new Option<bool>("--verbose")
        {
            Description = $"Print stack traces for errors (or set {VerboseVariable}=1).",
            Recursive = true,
        };
        var root = new RootCommand("ZImageSharp: inference for the Z-Image text-to-image models.") { verbose };
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(TokenizeCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(SelfTestCommand.Create());
        configure?.Invoke(root);

        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // All parse errors on one line, the specific ones ("unrecognized 'x'") before "required ... missing".
            string messages = string.Join(" ", parse.Errors
                .Select(e => OneLine(e.Message))
                .Distinct(StringComparer.Ordinal)
                .OrderBy(m => m.StartsWith("Required", StringComparison.Ordinal)));
            stderr.WriteLine($"zimage: error: {messages} (see 'zimage --help')");
            return ExitCodes.InputError;
        }

        bool showStack = parse.GetValue(verbose) || Environment.GetEnvironmentVariable(VerboseVariable) == "1";
        try
        {
            // serve handles SIGINT/SIGTERM itself (graceful shutdown may outlast System.CommandLine's 2 s grace).
            bool ownSignals = parse.CommandResult.Command.Name == "serve";
            var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
            if (ownSignals)
            {
                invocation.ProcessTerminationTimeout = null;
            }

            return parse.Invoke(invocation);
        }
        catch (Exception e) when (IsInputError(e))
        {
            stderr.WriteLine($"zimage: error: {OneLine(e.Message)}");
            WriteStack(stderr, e, showStack);
            return ExitCodes.InputError;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"zimage: error: unexpected {e.GetType().Name}: {OneLine(e.Message)}");
            WriteStack(stderr, e, showStack);
            return ExitCodes.Failure;
        }
    }

    // Problems with what the user gave us, as opposed to bugs: reported without the exception type.
    private static bool IsInputError(Exception e) =>
        e is UsageException or CheckpointException or ConfigException or TokenizerException or GenerationRequestException
            or NotSupportedException or IOException or UnauthorizedAccessException or Server.ServerOptionsException;

    private static void WriteStack(TextWriter stderr, Exception e, bool show)
    {
        if (show)
        {
            stderr.WriteLine(e.ToString());
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
