using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

// Scaled dot-product attention: tiled, online softmax, never an Sq×Sk matrix (Kernels/Attention).
internal sealed partial class CpuKernels
{
    public void Attention(TensorRef q, TensorRef k, TensorRef v, TensorRef? keyMask, bool causal, float scale, TensorRef destination)
        => FlashAttention.Run(_parallel, GemmKernel.Best, new AttentionOperands(q, k, v, keyMask, causal, scale, destination));
}
