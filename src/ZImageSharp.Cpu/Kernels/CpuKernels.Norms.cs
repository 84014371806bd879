using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

// PLACEHOLDER: replaced by the real Norms kernels.
internal sealed partial class CpuKernels
{
    public void RmsNorm(TensorRef x, TensorRef? weight, float eps, TensorRef destination) => throw new NotSupportedException("RmsNorm is not built yet.");

    public void LayerNorm(TensorRef x, TensorRef? weight, TensorRef? bias, float eps, TensorRef destination) => throw new NotSupportedException("LayerNorm is not built yet.");

    public void GroupNorm(TensorRef x, int groups, TensorRef? weight, TensorRef? bias, float eps, TensorRef destination) => throw new NotSupportedException("GroupNorm is not built yet.");
}
