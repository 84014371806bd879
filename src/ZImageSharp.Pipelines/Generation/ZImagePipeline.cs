using System.Diagnostics;
using ZImageSharp.Models.Qwen3;
using ZImageSharp.Models.Vae;
using ZImageSharp.Models.ZImage;
using ZImageSharp.Tensors;
using ZImageSharp.Tokenizers;

namespace ZImageSharp.Pipelines;

/// <summary>
/// Text-to-image with Z-Image (diffusers <c>ZImagePipeline</c>): prompt → Qwen3 caption features (once per request) →
/// noise from the torch-compatible generator → flow-matching Euler loop over the DiT with optional CFG → VAE decode →
/// 8-bit RGB. Load once, generate many; one generation runs at a time, on a dedicated thread.
/// </summary>
public sealed partial class ZImagePipeline : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    /// <summary>Assembles a pipeline from loaded components; it takes ownership of them.</summary>
    public ZImagePipeline(IBackend backend, ZImageComponents components)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(components);
        Backend = backend;
        Components = components;
    }

    /// <summary>Where the models run.</summary>
    public IBackend Backend { get; }

    /// <summary>The models, tokenizer and scheduler configuration.</summary>
    public ZImageComponents Components { get; }

    /// <summary>The size multiple of every Z-Image checkpoint: VAE scale 8 × patch size 2.</summary>
    public const int ZImageSizeMultiple = 16;

    /// <summary>Width and height must be multiples of this (VAE scale × patch size; 16 for Z-Image).</summary>
    public int SizeMultiple => Components.Vae.Config.ScaleFactor * Components.Transformer.Config.PatchSize;

    /// <summary>Generates images; the work runs on a dedicated thread and can be cancelled between steps.</summary>
    /// <exception cref="GenerationRequestException">For an invalid request; the message names the field and the rule.</exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> fires.</exception>
    public async Task<GenerationResult> GenerateAsync(GenerationRequest request, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Validate(request);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Factory.StartNew(
                () => Generate(request, progress, initialLatents: null, cancellationToken),
                cancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Checks a request against this pipeline's limits.</summary>
    /// <exception cref="GenerationRequestException">Naming the field and the rule.</exception>
    public void Validate(GenerationRequest request) => Validate(request, SizeMultiple);

    /// <summary>
    /// Checks a request before a model is loaded (so a typo does not cost a minutes-long load): every Z-Image
    /// checkpoint has <see cref="ZImageSizeMultiple"/>.
    /// </summary>
    /// <exception cref="GenerationRequestException">Naming the field and the rule.</exception>
    public static void Validate(GenerationRequest request, int sizeMultiple)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(sizeMultiple, 1);
        int m = sizeMultiple;
        Require(request.Prompt is not null, "prompt", "is required");
        Require(request.Width >= m && request.Width % m == 0, "width", $"must be a positive multiple of {m}, got {request.Width}");
        Require(request.Height >= m && request.Height % m == 0, "height", $"must be a positive multiple of {m}, got {request.Height}");
        Require(request.Steps is >= 1 and <= 1000, "steps", $"must be between 1 and 1000, got {request.Steps}");
        Require(request.Count is >= 1 and <= 64, "count", $"must be between 1 and 64, got {request.Count}");
        Require(request.GuidanceScale >= 0 && double.IsFinite(request.GuidanceScale), "guidance", $"must be a finite number ≥ 0, got {request.GuidanceScale}");
        Require(request.CfgTruncation is >= 0 and <= 1, "cfg truncation", $"must be in [0, 1], got {request.CfgTruncation}");
        Require(request.CfgNormalization >= 0, "cfg normalization", $"must be ≥ 0, got {request.CfgNormalization}");
        Require(request.MaxSequenceLength >= 1, "max sequence length", $"must be ≥ 1, got {request.MaxSequenceLength}");
    }

    /// <summary>Frees the models.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Components.Dispose();
        _gate.Dispose();
    }

    /// <summary>The synchronous core; <paramref name="initialLatents"/> replaces the generator's noise (tests, img2img).</summary>
    internal GenerationResult Generate(GenerationRequest request, IProgress<GenerationProgress>? progress, Tensor? initialLatents, CancellationToken cancellationToken, Action<int, Tensor>? onStepEnd = null)
    {
        var clock = Stopwatch.StartNew();
        var timings = new Dictionary<GenerationStage, TimeSpan>();
        var warnings = new List<string>();
        TimeSpan stageStart = TimeSpan.Zero;
        void Enter(GenerationStage stage, int step = 0, int total = 0) => progress?.Report(new GenerationProgress(stage, step, total, clock.Elapsed));
        void Leave(GenerationStage stage)
        {
            timings[stage] = clock.Elapsed - stageStart;
            stageStart = clock.Elapsed;
        }

        bool cfg = Guidance.ClassifierFreeGuidance.IsEnabled(request.GuidanceScale);
        ulong seed = request.Seed ?? (ulong)Random.Shared.NextInt64(0, long.MaxValue);
        using var scope = TensorScope.Begin();

        // 1. Prompt → caption features, once per request (and the negative prompt when guiding).
        Enter(GenerationStage.EncodingPrompt);
        IReadOnlyList<Tensor> positive = EncodePrompt(request.Prompt, request.MaxSequenceLength, "prompt", warnings);
        int promptTokens = positive[0].Shape[0];
        IReadOnlyList<Tensor>? negative = cfg ? EncodePrompt(request.NegativePrompt ?? string.Empty, request.MaxSequenceLength, "negative prompt", warnings) : null;
        Leave(GenerationStage.EncodingPrompt);
        ReleaseCachedMemory();
        cancellationToken.ThrowIfCancellationRequested();

        // 2. Initial noise [count, C, h, w] in f32, from one generator as diffusers' randn_tensor.
        Enter(GenerationStage.PreparingLatents);
        int scale = Components.Vae.Config.ScaleFactor;
        var shape = new Shape(request.Count, Components.Transformer.Config.InChannels, request.Height / scale, request.Width / scale);
        Tensor latents = initialLatents is null
            ? new Noise.TorchGenerator(seed).Randn(Backend, shape)
            : Ops.Cast(initialLatents, DType.F32);
        if (latents.Shape != shape)
        {
            throw new ArgumentException($"initial latents must have shape {shape}, found {latents.Shape}.", nameof(initialLatents));
        }

        var scheduler = new Schedulers.FlowMatchEulerScheduler(Components.SchedulerConfig);
        Schedulers.FlowMatchSchedule schedule = scheduler.Schedule(request.Steps, imageSequenceLength: Schedulers.FlowMatchEulerScheduler.ImageSequenceLength(shape[2], shape[3]));
        Leave(GenerationStage.PreparingLatents);

        // 3. The denoising loop: one transformer call per step (a doubled batch while guiding).
        int forwards = 0;
        Enter(GenerationStage.Denoising, 0, schedule.ForwardCount);
        foreach (int step in schedule.ForwardSteps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var stepScope = TensorScope.Begin();
            float t = schedule.ModelTimesteps[step];
            bool guide = cfg && Guidance.ClassifierFreeGuidance.IsActive(request.GuidanceScale, t, request.CfgTruncation);
            Tensor velocity = PredictVelocity(latents, t, positive, guide ? negative : null, request);
            Tensor next = stepScope.Keep(scheduler.Step(velocity, latents, step));
            latents.Dispose();
            latents = scope.Keep(next);
            onStepEnd?.Invoke(step, latents);
            forwards++;
            Enter(GenerationStage.Denoising, forwards, schedule.ForwardCount);
        }

        Leave(GenerationStage.Denoising);
        ReleaseCachedMemory();
        cancellationToken.ThrowIfCancellationRequested();

        // 4. Decode and convert to 8-bit RGB (clamp(x/2 + 0.5)·255, round half to even).
        Enter(GenerationStage.Decoding);
        var images = new List<GeneratedImage>(request.Count);
        for (int i = 0; i < request.Count; i++)
        {
            // One image at a time: the full-resolution activations of a 1024² decode are gigabytes each.
            using var imageScope = TensorScope.Begin();
            Tensor decoded = Components.Vae.Decode(Components.Vae.ScaleLatents(latents.Narrow(0, i, 1)));
            images.Add(new GeneratedImage(request.Width, request.Height, VaeImageProcessor.ToUInt8(decoded)[0]));
        }

        Leave(GenerationStage.Decoding);
        ReleaseCachedMemory();
        Enter(GenerationStage.Done, forwards, schedule.ForwardCount);

        return new GenerationResult
        {
            Images = images,
            Seed = seed,
            Request = request with { Seed = seed },
            Timings = timings,
            Warnings = warnings,
            Forwards = forwards,
            PromptTokens = promptTokens,
        };
    }

    /// <summary>The (guided) velocity for every image: [count, C, h, w] f32.</summary>
    private Tensor PredictVelocity(Tensor latents, float t, IReadOnlyList<Tensor> positive, IReadOnlyList<Tensor>? negative, GenerationRequest request)
    {
        int count = latents.Shape[0];
        int batch = negative is null ? count : 2 * count;
        var inputs = new List<Tensor>(batch);
        var captions = new List<Tensor>(batch);
        for (int j = 0; j < batch; j++)
        {
            inputs.Add(latents.Select(0, j % count).Unsqueeze(1));
            captions.Add(j < count ? positive[0] : negative![0]);
        }

        Tensor timesteps = Tensor.From<float>(Backend, Enumerable.Repeat(t, batch).ToArray(), new Shape(batch));
        IReadOnlyList<Tensor> outputs = Components.Transformer.Forward(inputs, timesteps, captions);
        var predictions = new Tensor[count];
        for (int i = 0; i < count; i++)
        {
            // Outputs are [C, 1, h, w]; guidance works on batches [1, C, h, w] (its norms are per sample).
            Tensor pos = outputs[i].Squeeze(1).Unsqueeze(0);
            predictions[i] = negative is null
                ? pos
                : Guidance.ClassifierFreeGuidance.Apply(pos, outputs[count + i].Squeeze(1).Unsqueeze(0), request.GuidanceScale, request.CfgNormalization);
        }

        return Ops.Concat(predictions, 0);
    }

    private IReadOnlyList<Tensor> EncodePrompt(string prompt, int maxLength, string what, List<string> warnings)
    {
        PromptTokens tokens = Components.Tokenizer.Encode(prompt, maxLength);
        if (tokens.Truncated)
        {
            warnings.Add($"The {what} is {tokens.FullLength} tokens long with the template; the text encoder sees the first {tokens.Length} ({tokens.DroppedTokens} dropped).");
        }

        return Components.TextEncoder.Encode(Backend, [tokens.Ids]);
    }

    /// <summary>Gives the backend's cached blocks back between stages: each stage reuses its own tensor sizes step after
    /// step, but the next stage's sizes differ, so blocks kept from the last one would only add to the peak.</summary>
    private void ReleaseCachedMemory() => (Backend as IPooledMemoryBackend)?.ReleaseCachedMemory();

    private static void Require(bool condition, string field, string rule)
    {
        if (!condition)
        {
            throw new GenerationRequestException($"{field} {rule}.", field);
        }
    }
}
