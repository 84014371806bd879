using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

// PLACEHOLDER: replaced by the real Rows kernels.
internal sealed partial class CpuKernels
{
    public void Softmax(TensorRef x, TensorRef destination) => throw new NotSupportedException("Softmax is not built yet.");

    public void Reduce(ReduceOp op, TensorRef x, TensorRef destination) => throw new NotSupportedException("Reduce is not built yet.");
}
