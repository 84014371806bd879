using ZImageSharp.Tensors;

namespace ZImageSharp.Pipelines.Schedulers;

/// <summary>
/// diffusers' <c>FlowMatchEulerDiscreteScheduler</c> as the Z-Image pipeline drives it: a static-shift sigma schedule
/// and the deterministic Euler step x ← x + (σᵢ₊₁ − σᵢ)·(−v), with the float32 rounding of the reference.
/// </summary>
/// <remarks>
/// Like diffusers' <c>set_timesteps</c> / <c>step</c>: <see cref="Schedule"/> builds the schedule and keeps it as
/// <see cref="Current"/>, and <see cref="Step"/> moves along it. Use one scheduler per generation.
/// </remarks>
public sealed class FlowMatchEulerScheduler
{
    /// <summary>A scheduler with the given settings.</summary>
    /// <exception cref="NotSupportedException">When the config asks for dynamic shifting.</exception>
    public FlowMatchEulerScheduler(FlowMatchSchedulerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        FlowMatchSchedulerConfig.Validate(config, nameof(FlowMatchSchedulerConfig));
        Config = config;
    }

    /// <summary>The settings.</summary>
    public FlowMatchSchedulerConfig Config { get; }

    /// <summary>The schedule of the last <see cref="Schedule"/> call, which <see cref="Step"/> follows; null before.</summary>
    public FlowMatchSchedule? Current { get; private set; }

    /// <summary>(latent height / 2) · (latent width / 2): the image token count <c>calculate_shift</c> is given.</summary>
    public static int ImageSequenceLength(int latentHeight, int latentWidth) => latentHeight / 2 * (latentWidth / 2);

    /// <summary>Builds the schedule for <paramref name="steps"/> steps and makes it <see cref="Current"/>.</summary>
    /// <param name="steps">num_inference_steps (8 for Turbo with <see cref="ScheduleMode.Current"/>).</param>
    /// <param name="mode">Which diffusers version's schedule (see <see cref="ScheduleMode"/>).</param>
    /// <param name="imageSequenceLength">When given, <see cref="FlowMatchSchedule.Mu"/> is computed for it (it changes nothing else).</param>
    public FlowMatchSchedule Schedule(int steps, ScheduleMode mode = ScheduleMode.Current, int? imageSequenceLength = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        float[] shifted = mode switch
        {
            // get_default_z_image_sigmas: torch.linspace(1, 1/n, n) in float32.
            ScheduleMode.Current => ShiftFloat32(Linspace.TorchFloat32(1.0, 1.0 / steps, steps)),
            ScheduleMode.Legacy => LegacySigmas(steps),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown schedule mode"),
        };

        return Build(mode, shifted, imageSequenceLength);
    }

    /// <summary>
    /// Builds the schedule from caller-given base sigmas (diffusers' <c>sigmas=</c> argument, which replaces
    /// <c>linspace(1, 1/n, n)</c>): each is shifted in float32 as in <see cref="ScheduleMode.Current"/>, then the
    /// terminal 0 is appended. Makes it <see cref="Current"/>.
    /// </summary>
    public FlowMatchSchedule ScheduleFromSigmas(IReadOnlyList<float> baseSigmas, int? imageSequenceLength = null)
    {
        ArgumentNullException.ThrowIfNull(baseSigmas);
        ArgumentOutOfRangeException.ThrowIfZero(baseSigmas.Count, nameof(baseSigmas));
        return Build(ScheduleMode.Current, ShiftFloat32([.. baseSigmas]), imageSequenceLength);
    }

    /// <summary>
    /// One Euler step of <see cref="Current"/>: returns sample + (σᵢ₊₁ − σᵢ)·(−modelOutput) in float32.
    /// </summary>
    /// <param name="modelOutput">The transformer's output v (after CFG), the velocity x₀ − ε. The pipeline's sign flip
    /// (noise_pred = −v) happens here. Other float dtypes are widened to float32 first.</param>
    /// <param name="sample">The latents at σᵢ, same shape; widened to float32 if needed.</param>
    /// <param name="stepIndex">i, from 0 to <see cref="FlowMatchSchedule.StepCount"/> − 1.</param>
    /// <returns>The latents at σᵢ₊₁, float32, on the inputs' backend.</returns>
    public Tensor Step(Tensor modelOutput, Tensor sample, int stepIndex)
    {
        ArgumentNullException.ThrowIfNull(modelOutput);
        ArgumentNullException.ThrowIfNull(sample);
        FlowMatchSchedule schedule = Current ?? throw new InvalidOperationException("Call Schedule(steps) before Step: there is no schedule to follow yet.");
        if (modelOutput.Shape != sample.Shape)
        {
            throw new ShapeMismatchException("euler step", $"model output {modelOutput.Shape} and sample {sample.Shape} differ.");
        }

        float dt = schedule.StepDelta(stepIndex);
        using var scope = TensorScope.Begin();
        Tensor v = ToF32(modelOutput);
        Tensor x = ToF32(sample);

        // Exactly the reference's float32 operations: negate, multiply by dt (rounded), then add (rounded).
        Tensor noisePred = Ops.Neg(v);
        Tensor update = Ops.Mul(noisePred, Tensor.Full(v.Backend, Shape.Scalar, dt));
        return scope.Keep(Ops.Add(x, update));
    }

    private FlowMatchSchedule Build(ScheduleMode mode, float[] shifted, int? imageSequenceLength)
    {
        // diffusers appends the terminal σ = 0 after the shift.
        float[] sigmas = [.. shifted, 0f];
        double? mu = imageSequenceLength is int length ? Config.CalculateShift(length) : null;
        Current = new FlowMatchSchedule(mode, sigmas, mu, Config.NumTrainTimesteps);
        return Current;
    }

    // set_timesteps(sigmas=...): a NumPy float32 array shifted with Python-float scalars, so every operation of
    // (s·σ) / (1 + (s − 1)·σ) is a float32 operation (s and s − 1 rounded to float32 first). In place.
    private float[] ShiftFloat32(float[] sigmas)
    {
        float shift = (float)Config.Shift;
        float shiftMinusOne = (float)(Config.Shift - 1.0);
        for (int i = 0; i < sigmas.Length; i++)
        {
            sigmas[i] = shift * sigmas[i] / (1f + (shiftMinusOne * sigmas[i]));
        }

        return sigmas;
    }

    // Pre-#13730: the pipeline sets sigma_min = 0, set_timesteps builds numpy.linspace(t_max, 0, n) / 1000 and
    // shifts in float64; torch then rounds to float32. t_max = 1000·σ_max, where σ_max is the first of the sigmas
    // the scheduler's constructor shifted in float32: s·1 / (1 + (s − 1)·1), exactly 1 for s = 3.
    private float[] LegacySigmas(int steps)
    {
        float shift = (float)Config.Shift;
        float sigmaMax = shift * 1f / (1f + ((float)(Config.Shift - 1.0) * 1f));
        double[] timesteps = Linspace.NumPyFloat64((double)sigmaMax * Config.NumTrainTimesteps, 0.0, steps);
        var sigmas = new float[steps];
        for (int i = 0; i < steps; i++)
        {
            double s = timesteps[i] / Config.NumTrainTimesteps;
            sigmas[i] = (float)(Config.Shift * s / (1.0 + ((Config.Shift - 1.0) * s)));
        }

        return sigmas;
    }

    private static Tensor ToF32(Tensor t) => t.DType == DType.F32 ? t : Ops.Cast(t, DType.F32);
}
