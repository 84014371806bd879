using ZImageSharp.Pipelines;

namespace ZImageSharp.Server.Generation;

/// <summary>
/// What a server worker drives: a loaded model on one device. <see cref="PipelineImageGenerator"/> is the real one;
/// tests wrap it to make a worker controllably slow.
/// </summary>
public interface IImageGenerator : IDisposable
{
    /// <summary>Device memory in use, in bytes, where the device reports it (GPUs); null on the CPU.</summary>
    long? DeviceMemoryBytes { get; }

    /// <summary>Generates a batch of compatible requests (see <see cref="ZImagePipeline.GenerateBatchAsync"/>).</summary>
    Task<IReadOnlyList<GenerationOutcome>> GenerateBatchAsync(IReadOnlyList<GenerationRequest> requests, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken);
}
