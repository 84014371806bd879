using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

// PLACEHOLDER: replaced by the real Conv2d kernels.
internal sealed partial class CpuKernels
{
    public void Conv2d(TensorRef x, TensorRef weight, TensorRef? bias, Conv2dParams parameters, TensorRef destination) => throw new NotSupportedException("Conv2d is not built yet.");
}
