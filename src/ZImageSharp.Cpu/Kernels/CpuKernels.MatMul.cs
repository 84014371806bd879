using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

// PLACEHOLDER: replaced by the real MatMul kernels.
internal sealed partial class CpuKernels
{
    public void MatMul(TensorRef a, TensorRef b, TensorRef? bias, TensorRef destination) => throw new NotSupportedException("MatMul is not built yet.");
}
