using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

// PLACEHOLDER: replaced by the real Upsample kernels.
internal sealed partial class CpuKernels
{
    public void UpsampleNearest(TensorRef x, int scale, TensorRef destination) => throw new NotSupportedException("UpsampleNearest is not built yet.");
}
