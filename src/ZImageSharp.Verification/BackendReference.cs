using ZImageSharp.Tensors;

namespace ZImageSharp.Verification;

/// <summary>Another backend runs the same op on the same inputs (the CPU backend, when a GPU is under test).</summary>
/// <param name="backend">The reference backend.</param>
public sealed class BackendReference(IBackend backend) : ICaseReference
{
    /// <inheritdoc/>
    public string Name => $"{backend.Name} backend";

    /// <inheritdoc/>
    public double[] Expected(OpCase c, IReadOnlyList<HostInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(c);
        using Tensor result = c.Run(backend, inputs);
        backend.Synchronize();
        return HostTransfer.Download(result);
    }
}
