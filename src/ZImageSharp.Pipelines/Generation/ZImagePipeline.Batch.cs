using System.Diagnostics;
using ZImageSharp.Models.Vae;
using ZImageSharp.Tensors;
using ZImageSharp.Tokenizers;

namespace ZImageSharp.Pipelines;

// Several requests in one transformer batch per step (a server batching its queue), and the core every generation runs.
public sealed partial class ZImagePipeline
{
    /// <summary>
    /// Generates several requests together: each prompt is encoded alone, each request draws its noise from its own
    /// seed (exactly as if run alone), every denoising step is ONE transformer call over all images of all requests with
    /// each request's own caption (the transformer pads and masks per item and builds per-item RoPE), and every image
    /// is decoded on its own. A request gives the same image as alone, up to the summation order of a larger GEMM.
    /// The requests must share width, height, steps and the guidance settings.
    /// </summary>
    /// <returns>One outcome per request, in order; a request whose latents went non-finite fails alone.</returns>
    /// <exception cref="GenerationRequestException">For an invalid request or a mix the batch cannot hold, naming the field.</exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> fires (the whole batch stops).</exception>
    public async Task<IReadOnlyList<GenerationOutcome>> GenerateBatchAsync(IReadOnlyList<GenerationRequest> requests, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ValidateBatch(requests);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Factory.StartNew(
                () => RunBatch(requests, progress, initialLatents: null, cancellationToken),
                cancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Checks each request and that they can share one batch (same size, steps and guidance).</summary>
    /// <exception cref="GenerationRequestException">Naming the field that differs or breaks a rule.</exception>
    public void ValidateBatch(IReadOnlyList<GenerationRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        Require(requests.Count > 0, "requests", "must hold at least one request");
        foreach (GenerationRequest request in requests)
        {
            Validate(request);
        }

        GenerationRequest first = requests[0];
        for (int i = 1; i < requests.Count; i++)
        {
            GenerationRequest r = requests[i];
            RequireSame(first.Width, r.Width, i, "width");
            RequireSame(first.Height, r.Height, i, "height");
            RequireSame(first.Steps, r.Steps, i, "steps");
            RequireSame(first.GuidanceScale, r.GuidanceScale, i, "guidance");
            RequireSame(first.CfgTruncation, r.CfgTruncation, i, "cfg truncation");
            RequireSame(first.CfgNormalization, r.CfgNormalization, i, "cfg normalization");
        }
    }

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> may share a batch (see <see cref="ValidateBatch"/>).</summary>
    public static bool CanBatch(GenerationRequest a, GenerationRequest b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Width == b.Width && a.Height == b.Height && a.Steps == b.Steps && a.GuidanceScale.Equals(b.GuidanceScale)
            && a.CfgTruncation.Equals(b.CfgTruncation) && a.CfgNormalization.Equals(b.CfgNormalization);
    }

    /// <summary>
    /// The synchronous core of every generation. <paramref name="initialLatents"/> (one per request) replaces the
    /// generator's noise; <paramref name="onStepEnd"/> sees every request's latents after each step.
    /// </summary>
    internal IReadOnlyList<GenerationOutcome> RunBatch(IReadOnlyList<GenerationRequest> requests, IProgress<GenerationProgress>? progress, IReadOnlyList<Tensor>? initialLatents, CancellationToken cancellationToken, Action<int, IReadOnlyList<Tensor>>? onStepEnd = null)
    {
        var clock = Stopwatch.StartNew();
        var timings = new Dictionary<GenerationStage, TimeSpan>();
        TimeSpan stageStart = TimeSpan.Zero;
        void Enter(GenerationStage stage, int step = 0, int total = 0) => progress?.Report(new GenerationProgress(stage, step, total, clock.Elapsed));
        void Leave(GenerationStage stage)
        {
            timings[stage] = clock.Elapsed - stageStart;
            stageStart = clock.Elapsed;
        }

        GenerationRequest shared = requests[0];
        bool cfg = Guidance.ClassifierFreeGuidance.IsEnabled(shared.GuidanceScale);
        using var scope = TensorScope.Begin();
        var items = requests.Select(r => new BatchItem(r, r.Seed ?? (ulong)Random.Shared.NextInt64(0, long.MaxValue))).ToArray();

        // 1. Prompt → caption features, once per request (and the negative prompt when guiding).
        Enter(GenerationStage.EncodingPrompt);
        foreach (BatchItem item in items)
        {
            item.Positive = EncodePrompt(item.Request.Prompt, item.Request.MaxSequenceLength, "prompt", item.Warnings);
            item.PromptTokens = item.Positive.Shape[0];
            item.Negative = cfg ? EncodePrompt(item.Request.NegativePrompt ?? string.Empty, item.Request.MaxSequenceLength, "negative prompt", item.Warnings) : null;
        }

        Leave(GenerationStage.EncodingPrompt);
        ReleaseCachedMemory();
        cancellationToken.ThrowIfCancellationRequested();

        // 2. Initial noise [count, C, h, w] in f32 per request, from its own generator as diffusers' randn_tensor.
        Enter(GenerationStage.PreparingLatents);
        int scale = Components.Vae.Config.ScaleFactor;
        for (int k = 0; k < items.Length; k++)
        {
            GenerationRequest r = items[k].Request;
            var shape = new Shape(r.Count, Components.Transformer.Config.InChannels, r.Height / scale, r.Width / scale);
            items[k].Latents = initialLatents is null
                ? new Noise.TorchGenerator(items[k].Seed).Randn(Backend, shape)
                : Ops.Cast(initialLatents[k], DType.F32);
            if (items[k].Latents.Shape != shape)
            {
                throw new ArgumentException($"initial latents must have shape {shape}, found {items[k].Latents.Shape}.", nameof(initialLatents));
            }
        }

        var scheduler = new Schedulers.FlowMatchEulerScheduler(Components.SchedulerConfig);
        Shape latentShape = items[0].Latents.Shape;
        Schedulers.FlowMatchSchedule schedule = scheduler.Schedule(shared.Steps, imageSequenceLength: Schedulers.FlowMatchEulerScheduler.ImageSequenceLength(latentShape[2], latentShape[3]));
        Leave(GenerationStage.PreparingLatents);

        // 3. The denoising loop: one transformer call per step for the whole batch (doubled while guiding).
        int forwards = 0;
        Enter(GenerationStage.Denoising, 0, schedule.ForwardCount);
        foreach (int step in schedule.ForwardSteps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var stepScope = TensorScope.Begin();
            float t = schedule.ModelTimesteps[step];
            bool guide = cfg && Guidance.ClassifierFreeGuidance.IsActive(shared.GuidanceScale, t, shared.CfgTruncation);
            Tensor[] velocities = PredictVelocities(items, t, guide, shared);
            for (int k = 0; k < items.Length; k++)
            {
                Tensor next = stepScope.Keep(scheduler.Step(velocities[k], items[k].Latents, step));
                items[k].Latents.Dispose();
                items[k].Latents = scope.Keep(next);
            }

            onStepEnd?.Invoke(step, items.Select(i => i.Latents).ToArray());
            forwards++;
            Enter(GenerationStage.Denoising, forwards, schedule.ForwardCount);
        }

        Leave(GenerationStage.Denoising);
        ReleaseCachedMemory();
        cancellationToken.ThrowIfCancellationRequested();

        // 4. Per request: refuse non-finite latents (they would decode to a flat, misleading image), else decode each
        // image alone and convert to 8-bit RGB (clamp(x/2 + 0.5)·255, round half to even).
        Enter(GenerationStage.Decoding);
        var decoded = new List<GeneratedImage>?[items.Length];
        for (int k = 0; k < items.Length; k++)
        {
            if (!AllFinite(items[k].Latents))
            {
                continue;
            }

            GenerationRequest r = items[k].Request;
            decoded[k] = new List<GeneratedImage>(r.Count);
            for (int i = 0; i < r.Count; i++)
            {
                // One image at a time: the full-resolution activations of a 1024² decode are gigabytes each.
                using var imageScope = TensorScope.Begin();
                Tensor image = Components.Vae.Decode(Components.Vae.ScaleLatents(items[k].Latents.Narrow(0, i, 1)));
                decoded[k]!.Add(new GeneratedImage(r.Width, r.Height, VaeImageProcessor.ToUInt8(image)[0]));
            }
        }

        Leave(GenerationStage.Decoding);
        ReleaseCachedMemory();
        Enter(GenerationStage.Done, forwards, schedule.ForwardCount);

        var outcomes = new GenerationOutcome[items.Length];
        for (int k = 0; k < items.Length; k++)
        {
            BatchItem item = items[k];
            outcomes[k] = decoded[k] is { } images
                ? new GenerationOutcome(
                    new GenerationResult
                    {
                        Images = images,
                        Seed = item.Seed,
                        Request = item.Request with { Seed = item.Seed },
                        Timings = timings,
                        Warnings = item.Warnings,
                        Forwards = forwards,
                        PromptTokens = item.PromptTokens,
                    },
                    null)
                : new GenerationOutcome(null, new NonFiniteLatentsException());
        }

        return outcomes;
    }

    /// <summary>
    /// The (guided) velocity of every request, [count, C, h, w] f32 each, from one transformer call whose items are
    /// every request's images with its own caption, then (while guiding) the same images with the negative captions.
    /// </summary>
    private Tensor[] PredictVelocities(BatchItem[] items, float t, bool guide, GenerationRequest shared)
    {
        var inputs = new List<Tensor>();
        var captions = new List<Tensor>();
        foreach (BatchItem item in items)
        {
            for (int j = 0; j < item.Request.Count; j++)
            {
                inputs.Add(item.Latents.Select(0, j).Unsqueeze(1));
                captions.Add(item.Positive);
            }
        }

        int positives = inputs.Count;
        if (guide)
        {
            for (int j = 0; j < positives; j++)
            {
                inputs.Add(inputs[j]);
            }

            foreach (BatchItem item in items)
            {
                captions.AddRange(Enumerable.Repeat(item.Negative!, item.Request.Count));
            }
        }

        int batch = inputs.Count;
        Tensor timesteps = Tensor.From<float>(Backend, Enumerable.Repeat(t, batch).ToArray(), new Shape(batch));
        IReadOnlyList<Tensor> outputs = Components.Transformer.Forward(inputs, timesteps, captions);
        var velocities = new Tensor[items.Length];
        int offset = 0;
        for (int k = 0; k < items.Length; k++)
        {
            int count = items[k].Request.Count;
            var predictions = new Tensor[count];
            for (int i = 0; i < count; i++)
            {
                // Outputs are [C, 1, h, w]; guidance works on batches [1, C, h, w] (its norms are per sample).
                Tensor pos = outputs[offset + i].Squeeze(1).Unsqueeze(0);
                predictions[i] = guide
                    ? Guidance.ClassifierFreeGuidance.Apply(pos, outputs[positives + offset + i].Squeeze(1).Unsqueeze(0), shared.GuidanceScale, shared.CfgNormalization)
                    : pos;
            }

            velocities[k] = Ops.Concat(predictions, 0);
            offset += count;
        }

        return velocities;
    }

    private Tensor EncodePrompt(string prompt, int maxLength, string what, List<string> warnings)
    {
        PromptTokens tokens = Components.Tokenizer.Encode(prompt, maxLength);
        if (tokens.Truncated)
        {
            warnings.Add($"The {what} is {tokens.FullLength} tokens long with the template; the text encoder sees the first {tokens.Length} ({tokens.DroppedTokens} dropped).");
        }

        return Components.TextEncoder.Encode(Backend, [tokens.Ids])[0];
    }

    private static bool AllFinite(Tensor latents)
    {
        foreach (float value in latents.ToFloatArray())
        {
            if (!float.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }

    private static void RequireSame<T>(T first, T other, int index, string field)
        where T : IEquatable<T>
    {
        if (!first.Equals(other))
        {
            throw new GenerationRequestException($"{field} must be the same for every request of a batch: request 1 has {first}, request {index + 1} has {other}.", field);
        }
    }

    /// <summary>One request's state through the batch.</summary>
    private sealed class BatchItem(GenerationRequest request, ulong seed)
    {
        public GenerationRequest Request { get; } = request;

        public ulong Seed { get; } = seed;

        public List<string> Warnings { get; } = [];

        public Tensor Positive { get; set; } = null!;

        public Tensor? Negative { get; set; }

        public Tensor Latents { get; set; } = null!;

        public int PromptTokens { get; set; }
    }
}
