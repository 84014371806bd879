using System.Text.Json;
using ZImageSharp.Models;

namespace ZImageSharp.Pipelines.Schedulers;

/// <summary>
/// The settings of diffusers' <c>FlowMatchEulerDiscreteScheduler</c> that Z-Image uses (<c>scheduler/scheduler_config.json</c>).
/// The property defaults are Z-Image-Turbo's (<see cref="ZImageTurbo"/>).
/// </summary>
/// <remarks>
/// Options that change the schedule in ways Z-Image never uses (dynamic shifting, Karras / exponential / beta sigmas,
/// <c>shift_terminal</c>, <c>invert_sigmas</c>, <c>stochastic_sampling</c>) are rejected when the file turns them on,
/// rather than silently ignored. <c>time_shift_type</c> only matters with dynamic shifting and is ignored.
/// </remarks>
public sealed record FlowMatchSchedulerConfig
{
    /// <summary>The diffusers class these settings belong to (<c>_class_name</c>).</summary>
    public const string ClassName = "FlowMatchEulerDiscreteScheduler";

    // A scheduler_config.json without "shift" means the diffusers class default, as from_config reads it.
    private const double DiffusersDefaultShift = 1.0;

    /// <summary>Training timesteps (1000): timestep = σ · this.</summary>
    public int NumTrainTimesteps { get; init; } = 1000;

    /// <summary>Static time shift s (3.0 for Z-Image): σ = s·σ₀ / (1 + (s − 1)·σ₀).</summary>
    public double Shift { get; init; } = 3.0;

    /// <summary>Resolution-dependent shifting; always false here (the scheduler rejects true).</summary>
    public bool UseDynamicShifting { get; init; }

    /// <summary><c>base_shift</c> (0.5): μ at <see cref="BaseImageSeqLen"/> in <see cref="CalculateShift"/>.</summary>
    public double BaseShift { get; init; } = 0.5;

    /// <summary><c>max_shift</c> (1.15): μ at <see cref="MaxImageSeqLen"/> in <see cref="CalculateShift"/>.</summary>
    public double MaxShift { get; init; } = 1.15;

    /// <summary><c>base_image_seq_len</c> (256).</summary>
    public int BaseImageSeqLen { get; init; } = 256;

    /// <summary><c>max_image_seq_len</c> (4096).</summary>
    public int MaxImageSeqLen { get; init; } = 4096;

    /// <summary>Z-Image-Turbo's scheduler: 1000 training steps, shift 3, no dynamic shifting.</summary>
    public static FlowMatchSchedulerConfig ZImageTurbo { get; } = new();

    /// <summary>Reads a <c>scheduler_config.json</c>; unknown fields are ignored, missing ones take diffusers' defaults.</summary>
    /// <exception cref="ConfigException">The file is missing, not JSON, or a field has the wrong type or range.</exception>
    /// <exception cref="NotSupportedException">The file turns on an option this scheduler does not implement (named).</exception>
    public static FlowMatchSchedulerConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new ConfigException(path, "the scheduler configuration file does not exist.");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses <c>scheduler_config.json</c> text; <paramref name="source"/> names it in error messages.</summary>
    /// <inheritdoc cref="Load" path="/exception"/>
    public static FlowMatchSchedulerConfig Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ConfigException(source, $"not valid JSON ({e.Message}).", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigException(source, "the scheduler configuration is not a JSON object.");
            }

            var fields = new SchedulerConfigFields(document.RootElement, source);
            RejectUnsupported(fields);
            var config = new FlowMatchSchedulerConfig
            {
                NumTrainTimesteps = fields.Int("num_train_timesteps", 1000),
                Shift = fields.Double("shift", DiffusersDefaultShift),
                UseDynamicShifting = false,
                BaseShift = fields.Double("base_shift", 0.5),
                MaxShift = fields.Double("max_shift", 1.15),
                BaseImageSeqLen = fields.Int("base_image_seq_len", 256),
                MaxImageSeqLen = fields.Int("max_image_seq_len", 4096),
            };
            Validate(config, source);
            return config;
        }
    }

    /// <summary>
    /// μ of <c>calculate_shift</c>: the line through (base_image_seq_len, base_shift) and (max_image_seq_len,
    /// max_shift) at <paramref name="imageSequenceLength"/>, in double precision. The Z-Image pipeline computes it
    /// and passes it to the scheduler, which ignores it because dynamic shifting is off.
    /// </summary>
    public double CalculateShift(int imageSequenceLength)
    {
        double slope = (MaxShift - BaseShift) / (MaxImageSeqLen - BaseImageSeqLen);
        double intercept = BaseShift - (slope * BaseImageSeqLen);
        return (imageSequenceLength * slope) + intercept;
    }

    /// <summary>Checks the values a hand-built config could get wrong; the scheduler calls it too.</summary>
    /// <exception cref="ConfigException">Naming the field.</exception>
    /// <exception cref="NotSupportedException">When <see cref="UseDynamicShifting"/> is true.</exception>
    internal static void Validate(FlowMatchSchedulerConfig config, string source)
    {
        if (config.UseDynamicShifting)
        {
            throw new NotSupportedException($"{source}: field 'use_dynamic_shifting' = true is not supported (Z-Image uses a static shift).");
        }

        if (config.NumTrainTimesteps <= 0)
        {
            throw new ConfigException(source, $"field 'num_train_timesteps' must be positive, found {config.NumTrainTimesteps}.");
        }

        if (!(config.Shift > 0) || double.IsInfinity(config.Shift))
        {
            throw new ConfigException(source, $"field 'shift' must be a positive finite number, found {config.Shift}.");
        }

        if (config.MaxImageSeqLen == config.BaseImageSeqLen)
        {
            throw new ConfigException(source, $"fields 'base_image_seq_len' and 'max_image_seq_len' are both {config.BaseImageSeqLen}; calculate_shift divides by their difference.");
        }
    }

    // Every option that would change the schedule away from the static-shift Euler schedule implemented here.
    private static void RejectUnsupported(SchedulerConfigFields fields)
    {
        string? className = fields.String("_class_name");
        if (className is not null && className != ClassName)
        {
            throw fields.Unsupported("_class_name", $"the file configures {className}, not {ClassName}");
        }

        foreach (string flag in (string[])["use_dynamic_shifting", "invert_sigmas", "use_karras_sigmas", "use_exponential_sigmas", "use_beta_sigmas", "stochastic_sampling"])
        {
            if (fields.Bool(flag, false))
            {
                throw fields.Unsupported(flag, "Z-Image's schedule does not use it");
            }
        }

        // diffusers tests `if self.config.shift_terminal:`, so null and 0 both mean off.
        if (fields.Double("shift_terminal", 0) != 0)
        {
            throw fields.Unsupported("shift_terminal", "Z-Image's schedule does not stretch to a terminal shift");
        }
    }
}
