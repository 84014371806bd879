using ZImageSharp.Tensors;

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
    /// <exception cref="NonFiniteLatentsException">When the denoising produced NaN or infinity (no image is decoded).</exception>
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

    /// <summary>
    /// The synchronous core for one request: a batch of one (<see cref="RunBatch"/>); <paramref name="initialLatents"/>
    /// replaces the generator's noise (tests, img2img) and <paramref name="onStepEnd"/> sees the latents after each step.
    /// </summary>
    internal GenerationResult Generate(GenerationRequest request, IProgress<GenerationProgress>? progress, Tensor? initialLatents, CancellationToken cancellationToken, Action<int, Tensor>? onStepEnd = null)
    {
        GenerationOutcome outcome = RunBatch(
            [request],
            progress,
            initialLatents is null ? null : [initialLatents],
            cancellationToken,
            onStepEnd is null ? null : (step, latents) => onStepEnd(step, latents[0]))[0];
        return outcome.Result ?? throw outcome.Error!;
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
