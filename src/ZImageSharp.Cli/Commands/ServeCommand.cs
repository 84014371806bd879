using System.CommandLine;
using ZImageSharp.Cli.Commands.Serve;

namespace ZImageSharp.Cli.Commands;

/// <summary>
/// <c>zimage serve [--model DIR] [--host 127.0.0.1] [--port 7860] [--api-key KEY] …</c>: the HTTP server with the
/// OpenAI-compatible API, the job API and the web UI. Without a model it serves the built-in demo model and says so.
/// </summary>
internal static class ServeCommand
{
    /// <summary>The environment variable that may hold the API key (keeps it out of the process list).</summary>
    public const string ApiKeyVariable = "ZIMAGE_API_KEY";

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string?>("--model", "-m") { Description = $"The Z-Image checkpoint: a diffusers folder or a folder of ComfyUI files (default: ${TokenizeCommand.ModelVariable}; none = built-in demo).", HelpName = "DIR" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "A tokenizer.json to use instead of the checkpoint's (ComfyUI files ship none).", HelpName = "FILE" };
        var host = new Option<string>("--host") { Description = "The address to listen on; anything but loopback needs --api-key or --insecure.", DefaultValueFactory = _ => "127.0.0.1", HelpName = "ADDRESS" };
        var port = new Option<int>("--port") { Description = "The TCP port.", DefaultValueFactory = _ => 7860, HelpName = "PORT" };
        var apiKey = new Option<string?>("--api-key") { Description = $"Require 'Authorization: Bearer KEY' on API calls (default: ${ApiKeyVariable}).", HelpName = "KEY" };
        var insecure = new Option<bool>("--insecure") { Description = "Allow a non-loopback --host without an API key." };
        var maxQueue = new Option<int>("--max-queue") { Description = "Jobs that may wait; more are answered 429 with Retry-After.", DefaultValueFactory = _ => 64, HelpName = "N" };
        var maxBatch = new Option<int>("--max-batch") { Description = "Most images per transformer batch (queued requests of the same size, steps and guidance run together).", DefaultValueFactory = _ => 4, HelpName = "N" };
        var warmup = new Option<int>("--warmup") { Description = "Generations to run before /api/v1/health/ready answers 200.", DefaultValueFactory = _ => 1, HelpName = "N" };
        var outputDir = new Option<string?>("--output-dir") { Description = "Also write every image there, as PNG with its parameters.", HelpName = "DIR" };
        var ttl = new Option<double>("--result-ttl") { Description = "Minutes finished jobs and their images stay available.", DefaultValueFactory = _ => 60, HelpName = "MINUTES" };
        Option<string> device = BackendFactory.DeviceOption();
        var threads = new Option<int?>("--threads") { Description = "CPU threads (default: all cores).", HelpName = "N" };

        var command = new Command("serve", "Serve the model over HTTP: OpenAI-compatible /v1/images/generations, a job API with live progress, and a web UI.")
        {
            model, tokenizer, host, port, apiKey, insecure, maxQueue, maxBatch, warmup, outputDir, ttl, device, threads,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var settings = new ServeSettings(
                parse.GetValue(model) ?? NullIfEmpty(Environment.GetEnvironmentVariable(TokenizeCommand.ModelVariable)),
                parse.GetValue(tokenizer),
                parse.GetValue(host)!,
                parse.GetValue(port),
                parse.GetValue(apiKey) ?? NullIfEmpty(Environment.GetEnvironmentVariable(ApiKeyVariable)),
                parse.GetValue(insecure),
                parse.GetValue(maxQueue),
                parse.GetValue(maxBatch),
                parse.GetValue(warmup),
                parse.GetValue(outputDir),
                parse.GetValue(ttl),
                parse.GetValue(device)!,
                parse.GetValue(threads));
            return ServeRunner.RunAsync(settings, parse.InvocationConfiguration.Output, cancellationToken);
        });
        return command;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
