using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace ZImageSharp.Pipelines;

/// <summary>
/// The text stored with a generated image (PNG tEXt/iTXt): <c>parameters</c> in the AUTOMATIC1111 form that image
/// viewers and ComfyUI/Civitai readers understand, <c>zimage</c> as JSON holding everything needed to make the image
/// again, and <c>Software</c>.
/// </summary>
public static class ImageMetadata
{
    /// <summary>The key of the human-readable parameters.</summary>
    public const string ParametersKey = "parameters";

    /// <summary>The key of the JSON request.</summary>
    public const string RequestKey = "zimage";

    /// <summary>The entries for image <paramref name="index"/> (0-based) of <paramref name="result"/>.</summary>
    /// <param name="result">The generation.</param>
    /// <param name="index">Which image of the batch.</param>
    /// <param name="model">The model's name or folder.</param>
    public static IReadOnlyList<KeyValuePair<string, string>> For(GenerationResult result, int index, string model)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, result.Images.Count);
        GenerationRequest r = result.Request;
        return
        [
            new(ParametersKey, Parameters(r, result.Seed, index, model)),
            new(RequestKey, Json(r, result.Seed, index, model)),
            new("Software", $"ZImageSharp {Version}"),
        ];
    }

    private static string Version =>
        typeof(ImageMetadata).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    private static string Parameters(GenerationRequest r, ulong seed, int index, string model)
    {
        var text = new System.Text.StringBuilder(r.Prompt);
        if (r.GuidanceScale > 0 && !string.IsNullOrEmpty(r.NegativePrompt))
        {
            text.Append("\nNegative prompt: ").Append(r.NegativePrompt);
        }

        text.Append(CultureInfo.InvariantCulture, $"\nSteps: {r.Steps}, Sampler: FlowMatch Euler, CFG scale: {r.GuidanceScale:R}, Seed: {seed}, Size: {r.Width}x{r.Height}, Model: {model}");
        if (r.Count > 1)
        {
            text.Append(CultureInfo.InvariantCulture, $", Batch size: {r.Count}, Batch pos: {index}");
        }

        return text.ToString();
    }

    private static string Json(GenerationRequest r, ulong seed, int index, string model)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("prompt", r.Prompt);
            json.WriteString("negative_prompt", r.NegativePrompt ?? string.Empty);
            json.WriteNumber("width", r.Width);
            json.WriteNumber("height", r.Height);
            json.WriteNumber("steps", r.Steps);
            json.WriteNumber("guidance", r.GuidanceScale);
            json.WriteNumber("cfg_truncation", r.CfgTruncation);
            json.WriteNumber("cfg_normalization", r.CfgNormalization);
            json.WriteNumber("seed", seed);
            json.WriteNumber("count", r.Count);
            json.WriteNumber("index", index);
            json.WriteString("model", model);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
