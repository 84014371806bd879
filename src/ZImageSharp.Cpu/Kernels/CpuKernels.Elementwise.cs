using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

// PLACEHOLDER: replaced by the real Elementwise kernels.
internal sealed partial class CpuKernels
{
    public void Unary(UnaryOp op, TensorRef x, TensorRef destination) => throw new NotSupportedException("Unary is not built yet.");

    public void Binary(BinaryOp op, TensorRef a, TensorRef b, TensorRef destination) => throw new NotSupportedException("Binary is not built yet.");

    public void Affine(TensorRef x, float scale, float shift, TensorRef destination) => throw new NotSupportedException("Affine is not built yet.");

    public void Clamp(TensorRef x, float min, float max, TensorRef destination) => throw new NotSupportedException("Clamp is not built yet.");

    public void SwiGlu(TensorRef gate, TensorRef up, TensorRef destination) => throw new NotSupportedException("SwiGlu is not built yet.");
}
