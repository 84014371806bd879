using System.CommandLine;
using System.Text;
using ZImageSharp.Tokenizers;

namespace ZImageSharp.Cli.Commands;

/// <summary><c>zimage tokenize "prompt" [--template] [--json] [--tokenizer PATH]</c>: the token ids the text encoder sees.</summary>
internal static class TokenizeCommand
{
    /// <summary>The environment variable naming a default model folder.</summary>
    public const string ModelVariable = "ZIMAGE_MODEL";

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var prompt = new Argument<string>("prompt") { Description = "The text to tokenize." };
        var template = new Option<bool>("--template")
        {
            Description = "Apply the Z-Image chat template and the 512-token truncation, as the pipeline does.",
        };
        var json = new Option<bool>("--json") { Description = "Print {\"ids\": [...]} on one line." };
        var tokenizer = new Option<string?>("--tokenizer")
        {
            Description = $"A tokenizer.json, a folder holding one, or a model folder with tokenizer/tokenizer.json (default: ${ModelVariable}).",
        };
        var command = new Command("tokenize", "Print the token ids (and tokens) of a prompt.") { prompt, template, json, tokenizer };
        command.SetAction(parse => Execute(
            parse.GetValue(prompt)!,
            parse.GetValue(template),
            parse.GetValue(json),
            parse.GetValue(tokenizer) ?? Environment.GetEnvironmentVariable(ModelVariable),
            parse.InvocationConfiguration.Output));
        return command;
    }

    /// <summary>Tokenizes and prints.</summary>
    public static int Execute(string prompt, bool template, bool json, string? tokenizerPath, TextWriter output)
    {
        BpeTokenizer tokenizer = BpeTokenizer.Load(ResolveTokenizer(tokenizerPath));
        PromptTokens tokens = template
            ? Qwen3ChatTemplate.Encode(tokenizer, prompt)
            : new PromptTokens(tokenizer.Encode(prompt), -1);
        int[] ids = tokens.Ids;
        if (json)
        {
            // One line, formatted like Python's json.dumps so it diffs cleanly against reference dumps.
            output.WriteLine($"{{\"ids\": [{string.Join(", ", ids)}]}}");
            return ExitCodes.Success;
        }

        output.WriteLine($"{ids.Length} tokens: [{string.Join(", ", ids)}]");
        if (template && tokens.Truncated)
        {
            output.WriteLine($"note: the templated prompt has {tokens.FullLength} tokens; the text encoder sees the first {tokens.Length} ({tokens.DroppedTokens} dropped, including the end of the template).");
        }

        foreach (int id in ids)
        {
            string token = tokenizer.IdToToken(id) ?? "?";
            output.WriteLine($"  {id,7}  {Printable(token),-24} {Printable(tokenizer.Decode([id]))}");
        }

        return ExitCodes.Success;
    }

    /// <summary>The tokenizer.json for a path that may be the file, its folder or a diffusers model folder.</summary>
    private static string ResolveTokenizer(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new FileNotFoundException($"No tokenizer given: pass --tokenizer PATH (a tokenizer.json or a model folder) or set {ModelVariable}.");
        }

        if (File.Exists(path))
        {
            return path;
        }

        foreach (string candidate in new[] { Path.Combine(path, "tokenizer.json"), Path.Combine(path, "tokenizer", "tokenizer.json") })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{path}: no tokenizer.json there (looked for {path}/tokenizer.json and {path}/tokenizer/tokenizer.json).");
    }

    /// <summary>Shows control characters as escapes so one token stays on one line.</summary>
    private static string Printable(string text)
    {
        var sb = new StringBuilder(text.Length + 2);
        sb.Append('"');
        foreach (char c in text)
        {
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '"' => "\\\"",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }
}
