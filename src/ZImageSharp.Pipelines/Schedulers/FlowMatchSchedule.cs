namespace ZImageSharp.Pipelines.Schedulers;

/// <summary>
/// The float32 noise schedule of one generation (what diffusers' <c>set_timesteps</c> leaves in the scheduler),
/// plus the values the pipeline derives from it. Step i moves the latents from σᵢ to σᵢ₊₁.
/// </summary>
/// <example><code>
/// var scheduler = new FlowMatchEulerScheduler(FlowMatchSchedulerConfig.ZImageTurbo);
/// FlowMatchSchedule schedule = scheduler.Schedule(8);
/// foreach (int i in schedule.ForwardSteps)
/// {
///     Tensor v = transformer.Forward(latents, schedule.ModelTimesteps[i], caption);
///     latents = scheduler.Step(v, latents, i);
/// }
/// </code></example>
public sealed record FlowMatchSchedule
{
    internal FlowMatchSchedule(ScheduleMode mode, float[] sigmas, double? mu, int numTrainTimesteps)
    {
        Mode = mode;
        int steps = sigmas.Length - 1;
        var timesteps = new float[steps];
        var modelTimesteps = new float[steps];
        var forward = new List<int>(steps);
        for (int i = 0; i < steps; i++)
        {
            // float32 throughout, as the reference's tensors: t = σ·1000, then the pipeline's (1000 − t) / 1000.
            timesteps[i] = sigmas[i] * numTrainTimesteps;
            modelTimesteps[i] = (1000f - timesteps[i]) / 1000f;
            if (sigmas[i] != sigmas[i + 1])
            {
                forward.Add(i);
            }
        }

        Sigmas = Array.AsReadOnly(sigmas);
        Timesteps = Array.AsReadOnly(timesteps);
        ModelTimesteps = Array.AsReadOnly(modelTimesteps);
        ForwardSteps = forward.AsReadOnly();
        Mu = mu;
    }

    /// <summary>Which diffusers version's schedule this is.</summary>
    public ScheduleMode Mode { get; }

    /// <summary>n + 1 noise levels, from 1 down; the last is the appended terminal 0.</summary>
    public IReadOnlyList<float> Sigmas { get; }

    /// <summary>n scheduler timesteps, σᵢ · 1000 (diffusers' <c>scheduler.timesteps</c>).</summary>
    public IReadOnlyList<float> Timesteps { get; }

    /// <summary>
    /// n transformer time inputs, (1000 − tᵢ) / 1000 = 1 − σᵢ rounded as the pipeline rounds it: 0 at pure noise.
    /// This is also the <c>t_norm</c> that CFG truncation compares.
    /// </summary>
    public IReadOnlyList<float> ModelTimesteps { get; }

    /// <summary>
    /// The steps to run, in order: every i with σᵢ ≠ σᵢ₊₁. A step with σᵢ = σᵢ₊₁ would call the transformer and then
    /// move nothing (the legacy schedule's last step), so it is left out: legacy n = 9 runs 8 transformer calls.
    /// </summary>
    public IReadOnlyList<int> ForwardSteps { get; }

    /// <summary>The number of steps n (<c>num_inference_steps</c>), including any that move nothing.</summary>
    public int StepCount => Timesteps.Count;

    /// <summary>The number of transformer calls without CFG: <see cref="ForwardSteps"/>.Count.</summary>
    public int ForwardCount => ForwardSteps.Count;

    /// <summary>
    /// μ of <c>calculate_shift</c> for the image size the schedule was made for, or null when no size was given.
    /// Computed as the reference computes it, but unused: dynamic shifting is off.
    /// </summary>
    public double? Mu { get; }

    /// <summary>σᵢ₊₁ − σᵢ in float32 (negative): the Euler step's dt.</summary>
    public float StepDelta(int stepIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(stepIndex, StepCount);
        return Sigmas[stepIndex + 1] - Sigmas[stepIndex];
    }
}
