using System.CommandLine;
using ZImageSharp.Cli.Commands.Generate;
using ZImageSharp.Pipelines;

namespace ZImageSharp.Cli.Commands;

/// <summary>
/// <c>zimage generate --prompt TEXT [--model DIR] [--out FILE.png] …</c>: text to image. Without a model (neither
/// <c>--model</c> nor <c>$ZIMAGE_MODEL</c>) it runs the built-in demo model and says so.
/// </summary>
internal static class GenerateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var prompt = new Option<string>("--prompt", "-p") { Description = "What to draw.", Required = true, HelpName = "TEXT" };
        var negative = new Option<string?>("--negative-prompt", "-n") { Description = "What to steer away from (used only with --guidance > 0).", HelpName = "TEXT" };
        var width = new Option<int?>("--width", "-W") { Description = $"Image width, a multiple of 16 (default {GenerateSettings.ModelSize}; {GenerateSettings.DemoSize} for the demo model).", HelpName = "PX" };
        var height = new Option<int?>("--height", "-H") { Description = $"Image height, a multiple of 16 (default {GenerateSettings.ModelSize}; {GenerateSettings.DemoSize} for the demo model).", HelpName = "PX" };
        var steps = new Option<int>("--steps", "-s") { Description = "Denoising steps (transformer forwards).", DefaultValueFactory = _ => 8, HelpName = "N" };
        var guidance = new Option<double>("--guidance", "-g") { Description = "Classifier-free guidance scale; 0 (no CFG) for Z-Image-Turbo, ~4 for the base model.", HelpName = "G" };
        var cfgTruncation = new Option<double>("--cfg-truncation") { Description = "Skip CFG on steps whose time t exceeds this (1 = never).", DefaultValueFactory = _ => 1.0, HelpName = "T" };
        var cfgNormalization = new Option<double>("--cfg-normalization") { Description = "Cap the guided prediction's norm at this multiple of the positive one's (0 = off).", HelpName = "R" };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the torch-compatible CPU generator: the same initial noise as diffusers with torch.Generator().manual_seed(N); random when omitted.", HelpName = "N" };
        var count = new Option<int>("--count", "-c") { Description = "Images for the prompt (one batch, as num_images_per_prompt).", DefaultValueFactory = _ => 1, HelpName = "N" };
        var output = new Option<string?>("--out", "-o") { Description = "The PNG to write (FILE-1.png … FILE-N.png for several images; a folder gets zimage-SEED.png). Default: zimage-SEED.png.", HelpName = "FILE" };
        var model = new Option<string?>("--model", "-m") { Description = $"The Z-Image checkpoint: a diffusers folder or a folder of ComfyUI files (default: ${TokenizeCommand.ModelVariable}; none = built-in demo).", HelpName = "DIR" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "A tokenizer.json to use instead of the checkpoint's (ComfyUI files ship none).", HelpName = "FILE" };
        Option<string> device = BackendFactory.DeviceOption();
        var threads = new Option<int?>("--threads") { Description = "CPU threads (default: all cores).", HelpName = "N" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress display; only the result lines." };

        var command = new Command("generate", "Generate images from a text prompt and save them as PNG.")
        {
            prompt, negative, width, height, steps, guidance, cfgTruncation, cfgNormalization, seed, count, output, model, tokenizer, device, threads, quiet,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            string? modelPath = parse.GetValue(model) ?? NullIfEmpty(Environment.GetEnvironmentVariable(TokenizeCommand.ModelVariable));
            int defaultSize = modelPath is null ? GenerateSettings.DemoSize : GenerateSettings.ModelSize;
            var request = new GenerationRequest(parse.GetValue(prompt)!)
            {
                NegativePrompt = parse.GetValue(negative),
                Width = parse.GetValue(width) ?? defaultSize,
                Height = parse.GetValue(height) ?? defaultSize,
                Steps = parse.GetValue(steps),
                GuidanceScale = parse.GetValue(guidance),
                CfgTruncation = parse.GetValue(cfgTruncation),
                CfgNormalization = parse.GetValue(cfgNormalization),
                Seed = parse.GetValue(seed),
                Count = parse.GetValue(count),
            };
            var settings = new GenerateSettings(request, modelPath, parse.GetValue(tokenizer), parse.GetValue(output), parse.GetValue(device)!, parse.GetValue(threads), parse.GetValue(quiet));
            return GenerateRunner.RunAsync(settings, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken);
        });
        return command;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
