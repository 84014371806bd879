using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

// PLACEHOLDER: replaced by the real Rope kernels.
internal sealed partial class CpuKernels
{
    public void Rope(TensorRef x, TensorRef cos, TensorRef sin, RopeLayout layout, TensorRef destination) => throw new NotSupportedException("Rope is not built yet.");
}
