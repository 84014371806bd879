using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Kernels;

// Rotary embedding (rope.cu): one thread per rotated pair; x keeps its own strides (the kernel needs its batch,
// position and head coordinates), the destination and the angle tables are contiguous.
internal sealed partial class CudaKernels
{
    /// <inheritdoc/>
    public void Rope(TensorRef x, TensorRef cos, TensorRef sin, RopeLayout layout, TensorRef destination)
    {
        long pairs = destination.Layout.ElementCount / 2;
        if (pairs == 0)
        {
            return;
        }

        var call = new KernelCall()
            .Add(DescriptorBuilder.Exact(_host, x))
            .Add(_host.Address(cos))
            .Add(_host.Address(sin))
            .Add(cos.Shape[0] != 1 ? 1 : 0)
            .Add(layout == RopeLayout.Interleaved ? 1 : 0)
            .Add(_host.Address(destination))
            .Add((int)destination.DType);
        Launch("rope.cu", "zimage_rope", LaunchShape.Elementwise(pairs, _host.MultiprocessorCount), call);
    }
}
