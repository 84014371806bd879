using ZImageSharp.Cuda.Runtime;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Kernels;

// Group normalisation (norm.cu) in two launches: partial statistics per chunk of each group, then normalisation with
// the combined statistics. Splitting groups into chunks keeps the device busy when there are few, huge groups.
internal sealed partial class CudaKernels
{
    private const string NormModule = "norm.cu";

    /// <summary>Elements per chunk a group is split into (before the cap of <see cref="MaxGroupChunks"/>).</summary>
    private const long GroupChunkElements = 1 << 14;

    /// <summary>The most chunks per group (the apply kernel sums this many partials per block).</summary>
    private const int MaxGroupChunks = 64;

    private const uint GroupNormBlock = 256;

    /// <inheritdoc/>
    public void GroupNorm(TensorRef x, int groups, TensorRef? weight, TensorRef? bias, float eps, TensorRef destination)
    {
        var (n, c, s) = x.Shape.Dims3();
        if (destination.Layout.ElementCount == 0)
        {
            return;
        }

        int perGroup = c / groups;
        long groupLength = (long)perGroup * s;
        long items = (long)n * groups;
        int chunks = (int)Math.Clamp((groupLength + GroupChunkElements - 1) / GroupChunkElements, 1, MaxGroupChunks);
        if (items > LaunchShape.MaxGridX)
        {
            throw new NotSupportedException($"GroupNorm over {items} (sample, group) pairs exceeds the CUDA grid ({LaunchShape.MaxGridX}).");
        }

        using Tensor partials = Tensor.Empty(_host.Backend, new Shape((int)(items * chunks * 3)), DType.F32);
        ulong partialsAddress = _host.Address(partials.ToRef());
        var shape = (new Dim3((uint)items, (uint)chunks), new Dim3(GroupNormBlock));
        ulong px = _host.Address(x);
        var stats = new KernelCall().Add(px).Add((int)x.DType).Add(partialsAddress).Add(groupLength).Add(chunks);
        Launch(NormModule, "zimage_groupnorm_stats", shape, stats);

        var apply = new KernelCall().Add(px).Add((int)x.DType);
        AddOptional(AddOptional(apply, weight), bias)
            .Add(_host.Address(destination)).Add((int)destination.DType)
            .Add(partialsAddress).Add(groupLength).Add(chunks).Add(perGroup).Add((long)s).Add(groups).Add(eps);
        Launch(NormModule, "zimage_groupnorm_apply", shape, apply);
    }
}
