using System.CommandLine;
using ZImageSharp.Cli.Commands.Info;

namespace ZImageSharp.Cli.Commands;

/// <summary>
/// <c>zimage info PATH [--json]</c> (or <c>--model DIR</c>): what a checkpoint holds, read from headers only (no tensor
/// data is loaded); for a Z-Image checkpoint also each component under the names the models load.
/// </summary>
internal static class InfoCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var path = new Argument<string?>("path")
        {
            Description = "A .safetensors file, a *.safetensors.index.json shard index, or a model folder (diffusers layout, ComfyUI files, or plain).",
            Arity = ArgumentArity.ZeroOrOne,
        };

        // An unknown option would otherwise be taken for the path ("--jsno: no such file"); "./-name" still works.
        path.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: ['-', ..] value }])
            {
                result.AddError($"Unrecognized option '{value}'.");
            }
        });
        var model = new Option<string?>("--model") { Description = "The model folder or file, when PATH is not given.", HelpName = "DIR" };
        var json = new Option<bool>("--json") { Description = "Print one machine-readable JSON document instead of text." };
        var command = new Command("info", "List the tensors of a checkpoint (name, dtype, shape, bytes), totals and metadata; for Z-Image, each component's format and mapped names.")
        {
            path, model, json,
        };
        command.Validators.Add(result =>
        {
            bool hasPath = result.GetResult(path) is { Tokens.Count: > 0 };
            bool hasModel = result.GetResult(model) is { Implicit: false };
            if (hasPath == hasModel)
            {
                result.AddError(hasPath ? "Give the model either as PATH or with --model, not both." : "Required argument missing: PATH (or --model DIR).");
            }
        });
        command.SetAction(parse => Execute(parse.GetValue(path) ?? parse.GetValue(model)!, parse.GetValue(json), parse.InvocationConfiguration.Output));
        return command;
    }

    /// <summary>Builds the report for <paramref name="path"/> and prints it.</summary>
    public static int Execute(string path, bool json, TextWriter output)
    {
        InfoReport report = InfoReport.Build(path);
        if (json)
        {
            InfoJsonFormatter.Write(report, output);
        }
        else
        {
            InfoTextFormatter.Write(report, output);
        }

        return ExitCodes.Success;
    }
}
