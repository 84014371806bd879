using System.Text.Json;
using ZImageSharp.Pipelines.Schedulers;
using ZImageSharp.Testing;

namespace ZImageSharp.Pipelines.Tests.Guidance;

/// <summary>One run of pipeline-tiny/runs.json: the call's loop settings, with diffusers' defaults for omitted ones.</summary>
internal sealed record PipelineTinyRun(
    string Name,
    string File,
    int Steps,
    double GuidanceScale,
    double CfgTruncation,
    double CfgNormalization,
    IReadOnlyList<float> SchedulerTimesteps)
{
    // ZImagePipeline.__call__ defaults for arguments a run does not pass.
    private const int DefaultSteps = 50;
    private const double DefaultGuidanceScale = 5.0;
    private const double DefaultCfgTruncation = 1.0;

    public static (FlowMatchSchedulerConfig Config, IReadOnlyList<PipelineTinyRun> Runs) Load()
    {
        using JsonDocument doc = JsonDocument.Parse(System.IO.File.ReadAllText(Fixtures.Path("pipeline-tiny", "runs.json")));
        JsonElement root = doc.RootElement;
        var config = FlowMatchSchedulerConfig.Parse(root.GetProperty("scheduler_config").GetRawText(), "runs.json scheduler_config");
        var runs = new List<PipelineTinyRun>();
        foreach (JsonElement run in root.GetProperty("runs").EnumerateArray())
        {
            JsonElement kwargs = run.GetProperty("call_kwargs");
            runs.Add(new PipelineTinyRun(
                run.GetProperty("name").GetString()!,
                run.GetProperty("file").GetString()!,
                kwargs.TryGetProperty("num_inference_steps", out JsonElement n) ? n.GetInt32() : DefaultSteps,
                kwargs.TryGetProperty("guidance_scale", out JsonElement g) ? g.GetDouble() : DefaultGuidanceScale,
                kwargs.TryGetProperty("cfg_truncation", out JsonElement t) ? t.GetDouble() : DefaultCfgTruncation,
                kwargs.TryGetProperty("cfg_normalization", out JsonElement c) ? Normalization(c) : 0,
                [.. run.GetProperty("scheduler_timesteps").EnumerateArray().Select(e => (float)e.GetDouble())]));
        }

        return (config, runs);
    }

    // cfg_normalization is a bool or a float in the reference; the pipeline uses float(c), so True is 1.
    private static double Normalization(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        _ => value.GetDouble(),
    };
}
