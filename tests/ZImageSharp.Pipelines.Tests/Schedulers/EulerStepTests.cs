using System.Text.Json;
using ZImageSharp.Cpu;
using ZImageSharp.IO.Safetensors;
using ZImageSharp.Pipelines.Schedulers;
using ZImageSharp.Tensors;
using ZImageSharp.Testing;

namespace ZImageSharp.Pipelines.Tests.Schedulers;

/// <summary>The Euler step against scheduler/euler_step.*, and which steps a schedule runs.</summary>
public sealed class EulerStepTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Default;

    [Fact]
    public void EveryFixtureStep_IsBitExact()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("scheduler", "euler_step.json")));
        using SafetensorsFile file = SafetensorsFile.Open(Fixtures.Path("scheduler", "euler_step.safetensors"));
        using Tensor sample = file.ReadTensor("sample", Cpu);
        using Tensor output = file.ReadTensor("transformer_output", Cpu);
        int count = 0;
        foreach (JsonElement step in doc.RootElement.GetProperty("steps").EnumerateArray())
        {
            int n = step.GetProperty("num_inference_steps").GetInt32();
            int i = step.GetProperty("step_index").GetInt32();
            var scheduler = new FlowMatchEulerScheduler(FlowMatchSchedulerConfig.ZImageTurbo);
            FlowMatchSchedule schedule = scheduler.Schedule(n, ScheduleFixtureTests.ParseMode(step.GetProperty("mode").GetString()!));
            string what = $"n={n} step {i}";
            Assert.Equal((float)step.GetProperty("timestep").GetDouble(), schedule.Timesteps[i]);
            Assert.Equal((float)step.GetProperty("sigma").GetDouble(), schedule.Sigmas[i]);
            Assert.Equal((float)step.GetProperty("sigma_next").GetDouble(), schedule.Sigmas[i + 1]);

            using Tensor expected = file.ReadTensor(step.GetProperty("tensor").GetString()!, Cpu);
            using Tensor actual = scheduler.Step(output, sample, i);
            TensorAssert.Close(expected, actual, Tolerance.Exact, what);
            count++;
        }

        Assert.True(count > 0, "euler_step.json lists no steps.");
    }

    [Fact]
    public void Step_IsSamplePlusDtTimesNegatedOutput_InFloat32()
    {
        var scheduler = new FlowMatchEulerScheduler(FlowMatchSchedulerConfig.ZImageTurbo);
        FlowMatchSchedule schedule = scheduler.Schedule(8);
        float[] x = TestData.Normal(40, seed: 3);
        float[] v = TestData.Normal(40, seed: 4);
        using Tensor xt = Tensor.From<float>(Cpu, x, new Shape(2, 4, 5));
        using Tensor vt = Tensor.From<float>(Cpu, v, new Shape(2, 4, 5));
        for (int i = 0; i < schedule.StepCount; i++)
        {
            float dt = schedule.Sigmas[i + 1] - schedule.Sigmas[i];
            using Tensor next = scheduler.Step(vt, xt, i);
            float[] expected = [.. x.Zip(v, (xi, vi) => xi + (dt * -vi))];
            TensorAssert.Equal<float>(expected, next);
        }
    }

    [Fact]
    public void Step_WidensBFloat16Inputs()
    {
        var scheduler = new FlowMatchEulerScheduler(FlowMatchSchedulerConfig.ZImageTurbo);
        scheduler.Schedule(4);
        using Tensor x = TestData.Random(Cpu, new Shape(3, 7), DType.BF16, seed: 5);
        using Tensor v = TestData.Random(Cpu, new Shape(3, 7), DType.F32, seed: 6);
        using Tensor x32 = Ops.Cast(x, DType.F32);
        using Tensor fromBf16 = scheduler.Step(v, x, 1);
        using Tensor fromF32 = scheduler.Step(v, x32, 1);
        Assert.Equal(DType.F32, fromBf16.DType);
        TensorAssert.Close(fromF32, fromBf16, Tolerance.Exact);
    }

    [Fact]
    public void Step_WithoutSchedule_OrMismatchedShapes_OrBadIndex_Throws()
    {
        var scheduler = new FlowMatchEulerScheduler(FlowMatchSchedulerConfig.ZImageTurbo);
        using Tensor a = Tensor.Zeros(Cpu, new Shape(2, 3));
        using Tensor b = Tensor.Zeros(Cpu, new Shape(3, 2));
        Assert.Throws<InvalidOperationException>(() => scheduler.Step(a, a, 0));
        scheduler.Schedule(4);
        Assert.Throws<ShapeMismatchException>(() => scheduler.Step(a, b, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => scheduler.Step(a, a, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => scheduler.Step(a, a, -1));
    }

    [Fact]
    public void LegacyNineSteps_RunEightForwards_TheSameAsCurrentEight()
    {
        var scheduler = new FlowMatchEulerScheduler(FlowMatchSchedulerConfig.ZImageTurbo);
        FlowMatchSchedule legacy = scheduler.Schedule(9, ScheduleMode.Legacy);
        FlowMatchSchedule current = scheduler.Schedule(8, ScheduleMode.Current);

        Assert.Equal(9, legacy.StepCount);
        Assert.Equal(8, legacy.ForwardCount);
        Assert.Equal(Enumerable.Range(0, 8), legacy.ForwardSteps);
        Assert.Equal(0f, legacy.StepDelta(8));
        Assert.Equal(current.Sigmas, legacy.Sigmas.Take(9));
        Assert.Equal(current.ModelTimesteps, legacy.ModelTimesteps.Take(8));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(50)]
    public void CurrentSchedules_RunEveryStep(int steps)
    {
        FlowMatchSchedule schedule = new FlowMatchEulerScheduler(FlowMatchSchedulerConfig.ZImageTurbo).Schedule(steps);
        Assert.Equal(steps, schedule.ForwardCount);
        Assert.Equal(steps + 1, schedule.Sigmas.Count);
        Assert.Equal(1f, schedule.Sigmas[0]);
        Assert.Equal(0f, schedule.Sigmas[^1]);
        Assert.Equal(0f, schedule.ModelTimesteps[0]);
        Assert.Null(schedule.Mu);
    }

    [Fact]
    public void TurboSchedule_MatchesTheSpecTable()
    {
        // spec 1.6.1: σ for N = 8, shift 3.
        FlowMatchSchedule schedule = new FlowMatchEulerScheduler(FlowMatchSchedulerConfig.ZImageTurbo).Schedule(8);
        float[] expected = [1f, 0.95454544f, 0.89999998f, 0.83333331f, 0.75f, 0.64285713f, 0.5f, 0.30000001f, 0f];
        Assert.Equal(expected, schedule.Sigmas);
    }
}
