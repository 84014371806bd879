using ZImageSharp.Cpu;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.Pipelines.Guidance;
using ZImageSharp.Pipelines.Schedulers;
using ZImageSharp.Tensors;
using ZImageSharp.Pipelines.Tests.Schedulers;
using ZImageSharp.Testing;

namespace ZImageSharp.Pipelines.Tests.Guidance;

/// <summary>
/// The denoising loop of every pipeline-tiny run, replayed from the recorded transformer outputs: for each step,
/// the latents before it, the outputs and the schedule give the latents after it (CFG, truncation, normalization,
/// sign flip, Euler step).
/// </summary>
public sealed class PipelineTinyLoopTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;

    [Fact]
    public void EveryStepOfEveryRun_IsReproduced()
    {
        (FlowMatchSchedulerConfig config, IReadOnlyList<PipelineTinyRun> runs) = PipelineTinyRun.Load();
        Assert.NotEmpty(runs);
        var seen = new Coverage();
        foreach (PipelineTinyRun run in runs)
        {
            using SafetensorsFile file = SafetensorsFile.Open(Fixtures.Path("pipeline-tiny", run.File));
            ReplayRun(file, run, config, seen);
        }

        // The runs must exercise what they claim to: CFG steps, truncated steps, and rescaled steps.
        Assert.True(!runs.Any(r => r.GuidanceScale > 0) || seen.CfgSteps > 0, "No step ran with CFG.");
        Assert.True(!runs.Any(r => r.GuidanceScale > 0 && r.CfgTruncation < 1) || seen.TruncatedSteps > 0, "No step was truncated.");
        Assert.True(!runs.Any(r => r.GuidanceScale > 0 && r.CfgNormalization > 0) || seen.RescaledSteps > 0, "No step was rescaled by CFG normalization.");
    }

    private static void ReplayRun(SafetensorsFile file, PipelineTinyRun run, FlowMatchSchedulerConfig config, Coverage seen)
    {
        var scheduler = new FlowMatchEulerScheduler(config);
        FlowMatchSchedule schedule = scheduler.Schedule(run.Steps);
        ScheduleFixtureTests.AssertFloats(run.SchedulerTimesteps, schedule.Timesteps, $"{run.Name} timesteps");

        using var scope = TensorScope.Begin();
        Tensor latents = file.ReadTensor("input.latents", Cpu);
        int batch = latents.Shape[0];
        for (int i = 0; i < schedule.StepCount; i++)
        {
            string what = $"{run.Name} step {i}";
            bool cfg = ClassifierFreeGuidance.IsActive(run.GuidanceScale, schedule.ModelTimesteps[i], run.CfgTruncation);
            int calls = cfg ? 2 * batch : batch;

            // What the transformer was given: one t per batch entry, twice the batch when CFG ran.
            Tensor t = file.ReadTensor($"inter.transformer_timestep.{i}", Cpu);
            Assert.True(t.ElementCount == calls, $"{what}: the reference ran {t.ElementCount} transformer entries, CFG {(cfg ? "on" : "off")} expects {calls}.");
            Assert.All(t.ToArray<float>(), v => Assert.Equal(schedule.ModelTimesteps[i], v));
            Assert.False(file.Contains($"inter.transformer_out.{i}.{calls}"), $"{what}: more transformer outputs than expected.");

            Tensor[] outputs = [.. Enumerable.Range(0, calls).Select(j => file.ReadTensor($"inter.transformer_out.{i}.{j}", Cpu))];
            Tensor positive = Ops.Stack(outputs[..batch], 0);
            Tensor velocity = positive;
            if (cfg)
            {
                Tensor negative = Ops.Stack(outputs[batch..], 0);
                velocity = ClassifierFreeGuidance.Apply(positive, negative, run.GuidanceScale, run.CfgNormalization);
                seen.CfgSteps++;
                Tensor unscaled = ClassifierFreeGuidance.Apply(positive, negative, run.GuidanceScale, 0);
                seen.RescaledSteps += unscaled.ToArray<float>().SequenceEqual(velocity.ToArray<float>()) ? 0 : 1;
            }
            else if (ClassifierFreeGuidance.IsEnabled(run.GuidanceScale))
            {
                seen.TruncatedSteps++;
            }

            // [B, 16, 1, h, w] → [B, 16, h, w]: the pipeline's squeeze of the frame axis.
            Tensor next = scheduler.Step(velocity.Squeeze(2), latents, i);
            Tensor expected = file.ReadTensor($"inter.latents_after_step.{i}", Cpu);
            TensorAssert.Close(expected, next, Tolerance.Exact, what);

            // Continue from the reference's latents so that every step is checked on its own inputs.
            latents = expected;
        }

        Tensor final = file.ReadTensor("output.final_latents", Cpu);
        TensorAssert.Close(final, latents, Tolerance.Exact, $"{run.Name} final latents");
    }

    private sealed class Coverage
    {
        public int CfgSteps { get; set; }

        public int TruncatedSteps { get; set; }

        public int RescaledSteps { get; set; }
    }
}
