using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ZImageSharp.Pipelines;

namespace ZImageSharp.Server.Jobs;

/// <summary>
/// The job API's wire format, written by hand so it is exactly what the README documents (snake_case, ISO 8601 UTC
/// times, milliseconds, image URLs relative to the server) and one line for SSE data.
/// </summary>
internal static class JobJson
{
    /// <summary>The whole job; <paramref name="queuePosition"/> (1 = next) is written when given (at submission, and while queued).</summary>
    public static string Job(GenerationJob job, int? queuePosition = null) => Write(json => WriteJob(json, job, queuePosition));

    /// <summary>The data of a <c>queued</c> event.</summary>
    public static string Queued(GenerationJob job, int position) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("id", job.Id);
        json.WriteNumber("queue_position", position);
        json.WriteEndObject();
    });

    /// <summary>The data of a <c>started</c> event.</summary>
    public static string Started(GenerationJob job) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("id", job.Id);
        json.WriteNumber("batch_size", job.BatchSize);
        json.WriteEndObject();
    });

    /// <summary>The data of a <c>stage</c> or <c>step</c> event.</summary>
    public static string Progress(GenerationJob job) => Write(json => WriteProgress(json, job));

    /// <summary>The snake_case name of a stage.</summary>
    public static string StageName(GenerationStage stage) => stage switch
    {
        GenerationStage.EncodingPrompt => "encoding_prompt",
        GenerationStage.PreparingLatents => "preparing_latents",
        GenerationStage.Denoising => "denoising",
        GenerationStage.Decoding => "decoding",
        _ => "done",
    };

    /// <summary>The lowercase name of a status.</summary>
    public static string StatusName(JobStatus status) => status.ToString().ToLowerInvariant();

    private static void WriteJob(Utf8JsonWriter json, GenerationJob job, int? queuePosition)
    {
        json.WriteStartObject();
        json.WriteString("id", job.Id);
        json.WriteString("status", StatusName(job.Status));
        if (queuePosition is { } position)
        {
            json.WriteNumber("queue_position", position);
        }

        json.WriteString("created_at", Time(job.CreatedAt));
        WriteTime(json, "started_at", job.StartedAt);
        WriteTime(json, "finished_at", job.FinishedAt);
        json.WriteNumber("batch_size", job.BatchSize);
        json.WritePropertyName("request");
        WriteRequest(json, job.Request);
        json.WritePropertyName("progress");
        WriteProgress(json, job);
        json.WriteStartArray("images");
        foreach (StoredImage image in job.Images)
        {
            json.WriteStartObject();
            json.WriteString("id", image.Id);
            json.WriteString("url", image.Path);
            json.WriteNumber("index", image.Index);
            json.WriteNumber("width", image.Width);
            json.WriteNumber("height", image.Height);
            json.WriteNumber("seed", image.Seed);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("timings");
        if (job.StartedAt is { } started)
        {
            json.WriteNumber("queued_ms", Milliseconds(started - job.CreatedAt));
        }

        foreach ((GenerationStage stage, TimeSpan time) in job.Timings.OrderBy(t => t.Key))
        {
            json.WriteNumber(StageName(stage) + "_ms", Milliseconds(time));
        }

        if (job.FinishedAt is { } finished)
        {
            json.WriteNumber("total_ms", Milliseconds(finished - job.CreatedAt));
        }

        json.WriteEndObject();
        json.WriteStartArray("warnings");
        foreach (string warning in job.Warnings)
        {
            json.WriteStringValue(warning);
        }

        json.WriteEndArray();
        if (job.Error is { } error)
        {
            json.WriteString("error", error);
        }
        else
        {
            json.WriteNull("error");
        }

        json.WriteEndObject();
    }

    private static void WriteRequest(Utf8JsonWriter json, GenerationRequest request)
    {
        json.WriteStartObject();
        json.WriteString("prompt", request.Prompt);
        json.WriteString("negative_prompt", request.NegativePrompt ?? string.Empty);
        json.WriteNumber("width", request.Width);
        json.WriteNumber("height", request.Height);
        json.WriteNumber("steps", request.Steps);
        json.WriteNumber("guidance_scale", request.GuidanceScale);
        json.WriteNumber("seed", request.Seed ?? 0);
        json.WriteNumber("count", request.Count);
        json.WriteEndObject();
    }

    private static void WriteProgress(Utf8JsonWriter json, GenerationJob job)
    {
        json.WriteStartObject();
        if (job.Stage is { } stage)
        {
            json.WriteString("stage", StageName(stage));
        }
        else
        {
            json.WriteNull("stage");
        }

        json.WriteNumber("step", job.Step);
        json.WriteNumber("total_steps", job.TotalSteps);
        json.WriteNumber("fraction", Math.Round(job.Fraction, 4));
        json.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            json.WriteString(name, Time(t));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static double Milliseconds(TimeSpan time) => Math.Round(time.TotalMilliseconds, 1);

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
