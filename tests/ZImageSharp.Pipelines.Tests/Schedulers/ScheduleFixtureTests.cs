using System.Text.Json;
using ZImageSharp.Pipelines.Schedulers;
using ZImageSharp.Testing;

namespace ZImageSharp.Pipelines.Tests.Schedulers;

/// <summary>Every schedule of scheduler/schedules.json, both modes, all step counts and image sizes.</summary>
public sealed class ScheduleFixtureTests
{
    // Bit-exact everywhere, including n > 16, where the README would accept 1e-6: Linspace follows PyTorch's AVX2
    // vector loop, not only its scalar recipe.
    [Fact]
    public void EverySchedule_IsBitExact()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("scheduler", "schedules.json")));
        var config = FlowMatchSchedulerConfig.Parse(doc.RootElement.GetProperty("scheduler_config").GetRawText(), "schedules.json scheduler_config");
        int count = 0;
        foreach (JsonElement entry in doc.RootElement.GetProperty("schedules").EnumerateArray())
        {
            ScheduleMode mode = ParseMode(entry.GetProperty("mode").GetString()!);
            int steps = entry.GetProperty("num_inference_steps").GetInt32();
            int[] latent = Ints(entry.GetProperty("latent_hw"));
            string what = $"{mode} n={steps} {entry.GetProperty("height").GetInt32()}x{entry.GetProperty("width").GetInt32()}";

            int seqLen = FlowMatchEulerScheduler.ImageSequenceLength(latent[0], latent[1]);
            Assert.Equal(entry.GetProperty("image_seq_len").GetInt32(), seqLen);
            FlowMatchSchedule schedule = new FlowMatchEulerScheduler(config).Schedule(steps, mode, seqLen);
            Assert.Equal(entry.GetProperty("mu").GetDouble(), schedule.Mu);
            Assert.Equal(steps, schedule.StepCount);
            AssertFloats(Floats(entry.GetProperty("sigmas")), schedule.Sigmas, $"{what} sigmas");
            AssertFloats(Floats(entry.GetProperty("timesteps")), schedule.Timesteps, $"{what} timesteps");
            AssertFloats(Floats(entry.GetProperty("transformer_timestep")), schedule.ModelTimesteps, $"{what} transformer timesteps");
            count++;
        }

        Assert.True(count > 0, "schedules.json lists no schedules.");
    }

    [Fact]
    public void CurrentSchedules_FromTheReferenceInputSigmas_AreBitExactForEveryLength()
    {
        // The shift, the terminal zero and the timesteps are exact for all n once linspace is taken out of the picture.
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("scheduler", "schedules.json")));
        var config = FlowMatchSchedulerConfig.Parse(doc.RootElement.GetProperty("scheduler_config").GetRawText(), "schedules.json scheduler_config");
        foreach (JsonElement entry in doc.RootElement.GetProperty("schedules").EnumerateArray())
        {
            if (!entry.TryGetProperty("input_sigmas", out JsonElement input) || input.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            string what = $"n={entry.GetProperty("num_inference_steps").GetInt32()} from input_sigmas";
            FlowMatchSchedule schedule = new FlowMatchEulerScheduler(config).ScheduleFromSigmas(Floats(input));
            AssertFloats(Floats(entry.GetProperty("sigmas")), schedule.Sigmas, $"{what} sigmas");
            AssertFloats(Floats(entry.GetProperty("timesteps")), schedule.Timesteps, $"{what} timesteps");
            AssertFloats(Floats(entry.GetProperty("transformer_timestep")), schedule.ModelTimesteps, $"{what} transformer timesteps");
        }
    }

    [Fact]
    public void CurrentLinspace_IsBitExact()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("scheduler", "schedules.json")));
        foreach (JsonElement entry in doc.RootElement.GetProperty("schedules").EnumerateArray())
        {
            int steps = entry.GetProperty("num_inference_steps").GetInt32();
            if (entry.TryGetProperty("input_sigmas", out JsonElement input) && input.ValueKind == JsonValueKind.Array)
            {
                AssertFloats(Floats(input), Linspace.TorchFloat32(1.0, 1.0 / steps, steps), $"linspace(1, 1/{steps}, {steps})");
            }
        }
    }

    internal static ScheduleMode ParseMode(string mode) => mode switch
    {
        "current" => ScheduleMode.Current,
        "legacy" => ScheduleMode.Legacy,
        _ => throw new InvalidDataException($"Unknown schedule mode '{mode}' in the fixture."),
    };

    internal static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(e => (float)e.GetDouble())];

    private static int[] Ints(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetInt32())];

    // The same float32 bits, element by element.
    internal static void AssertFloats(IReadOnlyList<float> expected, IReadOnlyList<float> actual, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: {actual.Count} values, expected {expected.Count}.");
        for (int i = 0; i < expected.Count; i++)
        {
            bool same = BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]);
            Assert.True(same, $"{what}[{i}]: {actual[i]:R}, expected {expected[i]:R} (bit-exact).");
        }
    }
}
