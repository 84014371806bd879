using ZImageSharp.Pipelines;
using ZImageSharp.Tensors;

namespace ZImageSharp.Server.Generation;

/// <summary>A <see cref="ZImagePipeline"/> as a server generator; it owns the pipeline.</summary>
/// <param name="pipeline">The loaded pipeline.</param>
public sealed class PipelineImageGenerator(ZImagePipeline pipeline) : IImageGenerator
{
    private readonly ZImagePipeline _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));

    /// <summary>The pipeline.</summary>
    public ZImagePipeline Pipeline => _pipeline;

    /// <inheritdoc/>
    public MemoryStatistics? Memory => (_pipeline.Backend as IPooledMemoryBackend)?.Memory;

    /// <inheritdoc/>
    public Task<IReadOnlyList<GenerationOutcome>> GenerateBatchAsync(IReadOnlyList<GenerationRequest> requests, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken) =>
        _pipeline.GenerateBatchAsync(requests, progress, cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => _pipeline.Dispose();
}
