using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Checkpoints;

/// <summary>
/// A read-only name space of checkpoint tensors: one safetensors file or a shard set. Implementations are immutable
/// once open, so the query and read members are safe to call from several threads; <see cref="IDisposable.Dispose"/>
/// is not.
/// </summary>
public interface ITensorSource : IDisposable
{
    /// <summary>What was opened (a file or an index file), for messages.</summary>
    string SourcePath { get; }

    /// <summary>All tensor names, sorted ordinally.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>String metadata of the checkpoint (safetensors <c>__metadata__</c>, or an index's <c>metadata</c>).</summary>
    IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The header facts of a tensor, or false when there is no tensor of that name.</summary>
    bool TryGetInfo(string name, out TensorInfo info);

    /// <summary>The header facts of a tensor.</summary>
    /// <exception cref="CheckpointException">When there is no tensor of that name.</exception>
    TensorInfo Info(string name);

    /// <summary>Loads a tensor onto <paramref name="backend"/>.</summary>
    /// <param name="name">Full tensor name.</param>
    /// <param name="backend">Where the tensor goes.</param>
    /// <param name="dtype">Element type wanted; null keeps the stored type (BOOL → U8; F64 and FP8 → F32).</param>
    /// <returns>A contiguous tensor the caller owns; on a host-memory backend with no conversion it may map the file directly (read-only).</returns>
    /// <exception cref="CheckpointException">When there is no tensor of that name.</exception>
    /// <exception cref="NotSupportedException">When the stored dtype cannot be loaded, or not as <paramref name="dtype"/>.</exception>
    Tensor ReadTensor(string name, IBackend backend, DType? dtype = null);
}
