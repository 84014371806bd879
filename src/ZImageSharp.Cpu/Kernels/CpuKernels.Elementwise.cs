using System.Numerics.Tensors;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

// Element-wise math: each op is a small kernel struct run by ElementwiseDriver, which handles strides, broadcasting,
// dtype conversion, in-place destinations and threading once for all of them.
internal sealed partial class CpuKernels
{
    public void Unary(UnaryOp op, TensorRef x, TensorRef destination) =>
        ElementwiseDriver.Run(_parallel, new UnaryKernel(op), x, null, destination);

    public void Binary(BinaryOp op, TensorRef a, TensorRef b, TensorRef destination) =>
        ElementwiseDriver.Run(_parallel, new BinaryKernel(op), a, b, destination);

    public void Affine(TensorRef x, float scale, float shift, TensorRef destination) =>
        ElementwiseDriver.Run(_parallel, new AffineKernel(scale, shift), x, null, destination);

    public void Clamp(TensorRef x, float min, float max, TensorRef destination) =>
        ElementwiseDriver.Run(_parallel, new ClampKernel(min, max), x, null, destination);

    public void SwiGlu(TensorRef gate, TensorRef up, TensorRef destination) =>
        ElementwiseDriver.Run(_parallel, default(SwiGluKernel), gate, up, destination);

    private readonly struct UnaryKernel(UnaryOp op) : IElementwiseKernel
    {
        public static bool TakesScalars => false;

        public void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination) =>
            ElementwiseMath.Unary(op, a, destination);
    }

    private readonly struct BinaryKernel(BinaryOp op) : IElementwiseKernel
    {
        // TensorPrimitives has span-scalar forms of every binary op: a broadcast operand is never expanded.
        public static bool TakesScalars => true;

        public void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination) =>
            ElementwiseMath.Binary(op, a, b, destination);
    }

    private readonly struct AffineKernel(float scale, float shift) : IElementwiseKernel
    {
        public static bool TakesScalars => false;

        public void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination) =>
            SimdLoop.Run(new AffineOperator(scale, shift), a, destination);
    }

    private readonly struct ClampKernel(float min, float max) : IElementwiseKernel
    {
        public static bool TakesScalars => false;

        // TensorPrimitives.Clamp is min(max(x, min), max) with IEEE 754:2019 min/max, which propagate NaN.
        public void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination) =>
            TensorPrimitives.Clamp(a, min, max, destination);
    }

    private readonly struct SwiGluKernel : IElementwiseKernel
    {
        public static bool TakesScalars => false;

        public void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination) =>
            SimdLoop.Run(default(SwiGluOperator), a, b, destination);
    }
}
