using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using ZImageSharp.Pipelines;
using ZImageSharp.Server.Generation;

namespace ZImageSharp.Server.Api;

/// <summary>
/// Turns <see cref="RequestFields"/> into a <see cref="GenerationRequest"/>: the model's defaults for what is missing,
/// the server's limits for what is given (each error names the field, the rule and the value), and a seed drawn now
/// when none is given, so the job shows it from the start.
/// </summary>
internal static class RequestBuilder
{
    /// <summary>Turbo's default: 8 steps.</summary>
    public const int DefaultSteps = 8;

    /// <summary>Random seeds stay below 2^53 so JavaScript clients read them exactly.</summary>
    public const ulong RandomSeedLimit = 1UL << 53;

    /// <summary>Builds the request.</summary>
    /// <exception cref="ApiException">400 naming the field.</exception>
    public static GenerationRequest Build(RequestFields fields, GenerationLimits limits, ModelDescription model)
    {
        string prompt = fields.Prompt ?? throw ApiException.Invalid("prompt", "prompt is required: say what to draw.");
        Require(!string.IsNullOrWhiteSpace(prompt), "prompt", "prompt must not be empty.");
        CheckLength(prompt, "prompt", limits);
        if (fields.NegativePrompt is { } negative)
        {
            CheckLength(negative, "negative_prompt", limits);
        }

        int width = fields.Width ?? model.DefaultSize;
        int height = fields.Height ?? model.DefaultSize;
        CheckSide(width, "width", width.ToString(CultureInfo.InvariantCulture), limits);
        CheckSide(height, "height", height.ToString(CultureInfo.InvariantCulture), limits);
        int steps = fields.Steps ?? DefaultSteps;
        Require(steps >= 1 && steps <= limits.MaxSteps, "steps", $"steps must be between 1 and {limits.MaxSteps}, got {steps}.");
        double guidance = fields.GuidanceScale ?? 0;
        Require(guidance >= 0 && guidance <= limits.MaxGuidance, "guidance_scale", string.Create(CultureInfo.InvariantCulture, $"guidance_scale must be between 0 and {limits.MaxGuidance} (0 for Z-Image-Turbo), got {guidance}."));
        int count = fields.Count ?? 1;
        Require(count >= 1 && count <= limits.MaxCount, fields.CountField, $"{fields.CountField} must be between 1 and {limits.MaxCount}, got {count}.");
        Require(fields.Seed is null or >= -1, "seed", $"seed must be 0 or more (or -1 for a random one), got {fields.Seed}.");
        ulong seed = fields.Seed is null or -1 ? RandomSeed() : (ulong)fields.Seed.Value;

        var request = new GenerationRequest(prompt)
        {
            NegativePrompt = string.IsNullOrEmpty(fields.NegativePrompt) ? null : fields.NegativePrompt,
            Width = width,
            Height = height,
            Steps = steps,
            GuidanceScale = guidance,
            Seed = seed,
            Count = count,
        };

        // The pipeline's own rules too: limits an embedder widened (more steps or images than the pipeline takes) are
        // refused here, naming the field as the client spelled it, instead of failing the job later.
        try
        {
            ZImagePipeline.Validate(request, limits.SizeMultiple);
        }
        catch (GenerationRequestException e)
        {
            string field = ApiField(e.Field, fields.CountField);
            string message = e.Message.StartsWith(e.Field, StringComparison.Ordinal) ? field + e.Message[e.Field.Length..] : e.Message;
            throw ApiException.Invalid(field, message);
        }

        return request;
    }

    /// <summary>The API's name for a pipeline field (<see cref="GenerationRequestException.Field"/>).</summary>
    private static string ApiField(string field, string countField) => field switch
    {
        "guidance" => "guidance_scale",
        "count" => countField,
        _ => field,
    };

    /// <summary>Checks one side of the image; <paramref name="shown"/> is the value as the client wrote it.</summary>
    /// <exception cref="ApiException">400 naming <paramref name="field"/>.</exception>
    public static void CheckSide(int value, string field, string shown, GenerationLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        Require(
            value >= limits.MinSize && value <= limits.MaxSize && value % limits.SizeMultiple == 0,
            field,
            $"{field} must be a multiple of {limits.SizeMultiple} between {limits.MinSize} and {limits.MaxSize}, got {shown}.");
    }

    private static void CheckLength(string text, string field, GenerationLimits limits)
    {
        int bytes = JsonBody.Utf8Length(text);
        Require(bytes <= limits.MaxPromptBytes, field, $"{field} must be at most {limits.MaxPromptBytes} bytes of UTF-8, got {bytes}.");
    }

    private static ulong RandomSeed() => BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(8)) % RandomSeedLimit;

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw ApiException.Invalid(field, message);
        }
    }
}
