using ZImageSharp.Pipelines;
using ZImageSharp.Tensors;

namespace ZImageSharp.Server.Generation;

/// <summary>
/// What a server worker drives: a loaded model on one device. <see cref="PipelineImageGenerator"/> is the real one;
/// tests wrap it to make a worker controllably slow.
/// </summary>
public interface IImageGenerator : IDisposable
{
    /// <summary>
    /// The backend's memory pool now (host memory on the CPU, device memory on a GPU), or null when the backend keeps
    /// no pool.
    /// </summary>
    MemoryStatistics? Memory { get; }

    /// <summary>Generates a batch of compatible requests (see <see cref="ZImagePipeline.GenerateBatchAsync"/>).</summary>
    Task<IReadOnlyList<GenerationOutcome>> GenerateBatchAsync(IReadOnlyList<GenerationRequest> requests, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken);
}
