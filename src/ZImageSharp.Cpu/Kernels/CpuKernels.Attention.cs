using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

// PLACEHOLDER: replaced by the real Attention kernels.
internal sealed partial class CpuKernels
{
    public void Attention(TensorRef q, TensorRef k, TensorRef v, TensorRef? keyMask, bool causal, float scale, TensorRef destination) => throw new NotSupportedException("Attention is not built yet.");
}
