using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Checkpoints;

/// <summary>
/// A tensor source that can load a contiguous part of a stored tensor (<see cref="TensorPart"/>) without reading the
/// rest of it: the basis of views that split fused weights or reshape them (<see cref="RenamedTensorSource"/>).
/// </summary>
public interface IPartialTensorSource : ITensorSource
{
    /// <summary>Loads part of a tensor onto <paramref name="backend"/> as a tensor of the part's sizes.</summary>
    /// <param name="name">Full name of the tensor the part is taken from.</param>
    /// <param name="part">Which elements, and the sizes they are given.</param>
    /// <param name="backend">Where the tensor goes.</param>
    /// <param name="dtype">Element type wanted; null keeps the stored type (as <see cref="ITensorSource.ReadTensor"/>).</param>
    /// <returns>A contiguous tensor the caller owns (zero-copy on a host backend when the stored bytes can be used as they are).</returns>
    /// <exception cref="CheckpointException">When there is no tensor of that name, or the part does not lie inside it; the message names the file and the tensor.</exception>
    /// <exception cref="NotSupportedException">When the stored dtype cannot be loaded, or not as <paramref name="dtype"/>.</exception>
    Tensor ReadPart(string name, TensorPart part, IBackend backend, DType? dtype = null);
}
