using ZImageSharp.IO.Checkpoints;
using ZImageSharp.Tensors;

namespace ZImageSharp.IO.Weights;

/// <summary>A tensor source with no tensors (the backing of a synthetic <see cref="WeightMap"/>).</summary>
internal sealed class EmptySource : ITensorSource
{
    public static EmptySource Instance { get; } = new();

    public string SourcePath => "(synthetic weights)";

    public IReadOnlyList<string> Names => [];

    public IReadOnlyDictionary<string, string> Metadata => new Dictionary<string, string>();

    public bool TryGetInfo(string name, out TensorInfo info)
    {
        info = null!;
        return false;
    }

    public TensorInfo Info(string name) => throw NotFound(name);

    public Tensor ReadTensor(string name, IBackend backend, DType? dtype = null) => throw NotFound(name);

    private CheckpointException NotFound(string name) => new(SourcePath, name, "not found (synthetic weights have no stored tensors).");

    public void Dispose()
    {
    }
}
