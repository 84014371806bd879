using ZImageSharp.Cpu;
using ZImageSharp.Tensors;

namespace ZImageSharp.Verification.Tests;

/// <summary>
/// A backend that is the CPU backend except that one op's output comes out with a 2 % gain error (every element ×1.02):
/// small next to a model's tolerance for noise, yet above bf16's rounding (NMSE 4e-4 against a 1e-4 bound). Its memory
/// is its own storage type (wrapping CPU memory), so tensors created on it dispatch to its kernels.
/// </summary>
internal sealed class PerturbedBackend : IBackend
{
    private readonly CpuBackend _inner;

    public PerturbedBackend(CpuBackend inner, OpKind? perturbed)
    {
        _inner = inner;
        Kernels = new PerturbedKernels(inner, perturbed);
    }

    public string Name => "perturbed-cpu";

    public IKernels Kernels { get; }

    public bool Supports(OpKind op, DType dtype) => _inner.Supports(op, dtype);

    public Storage Allocate(long byteLength) => new WrappedStorage(this, Tensor.Empty(_inner, new Shape(checked((int)Math.Max(byteLength, 1))), DType.U8), byteLength);

    public void Upload(ReadOnlySpan<byte> source, Storage destination, long byteOffset) => _inner.Upload(source, Inner(destination), byteOffset);

    public void Download(Storage source, long byteOffset, Span<byte> destination) => _inner.Download(Inner(source), byteOffset, destination);

    public void Synchronize() => _inner.Synchronize();

    internal static Storage Inner(Storage storage) => ((WrappedStorage)storage).Memory.ToRef().Storage;

    private sealed class WrappedStorage(IBackend backend, Tensor memory, long byteLength) : Storage(backend, byteLength, isReadOnly: false)
    {
        public Tensor Memory { get; } = memory;

        protected override void ReleaseCore() => Memory.Dispose();
    }

    private sealed class PerturbedKernels(CpuBackend inner, OpKind? perturbed) : IKernels
    {
        private readonly IKernels _k = inner.Kernels;

        public void Copy(TensorRef source, TensorRef destination) => Then(OpKind.Copy, destination, () => _k.Copy(In(source), In(destination)));

        public void Fill(TensorRef destination, double value) => Then(OpKind.Fill, destination, () => _k.Fill(In(destination), value));

        public void IndexSelect(TensorRef source, TensorRef indices, int dim, TensorRef destination) => Then(OpKind.IndexSelect, destination, () => _k.IndexSelect(In(source), In(indices), dim, In(destination)));

        public void Unary(UnaryOp op, TensorRef x, TensorRef destination) => Then(OpKind.Unary, destination, () => _k.Unary(op, In(x), In(destination)));

        public void Binary(BinaryOp op, TensorRef a, TensorRef b, TensorRef destination) => Then(OpKind.Binary, destination, () => _k.Binary(op, In(a), In(b), In(destination)));

        public void Affine(TensorRef x, float scale, float shift, TensorRef destination) => Then(OpKind.Affine, destination, () => _k.Affine(In(x), scale, shift, In(destination)));

        public void Clamp(TensorRef x, float min, float max, TensorRef destination) => Then(OpKind.Clamp, destination, () => _k.Clamp(In(x), min, max, In(destination)));

        public void RmsNorm(TensorRef x, TensorRef? weight, float eps, TensorRef destination) => Then(OpKind.RmsNorm, destination, () => _k.RmsNorm(In(x), In(weight), eps, In(destination)));

        public void RmsNormScaled(TensorRef x, TensorRef? weight, float eps, TensorRef? scale, TensorRef? residual, TensorRef destination)
            => Then(OpKind.RmsNormScaled, destination, () => _k.RmsNormScaled(In(x), In(weight), eps, In(scale), In(residual), In(destination)));

        public void LayerNorm(TensorRef x, TensorRef? weight, TensorRef? bias, float eps, TensorRef destination) => Then(OpKind.LayerNorm, destination, () => _k.LayerNorm(In(x), In(weight), In(bias), eps, In(destination)));

        public void GroupNorm(TensorRef x, int groups, TensorRef? weight, TensorRef? bias, float eps, TensorRef destination) => Then(OpKind.GroupNorm, destination, () => _k.GroupNorm(In(x), groups, In(weight), In(bias), eps, In(destination)));

        public void Softmax(TensorRef x, TensorRef destination) => Then(OpKind.Softmax, destination, () => _k.Softmax(In(x), In(destination)));

        public void MatMul(TensorRef a, TensorRef b, TensorRef? bias, TensorRef destination) => Then(OpKind.MatMul, destination, () => _k.MatMul(In(a), In(b), In(bias), In(destination)));

        public void Conv2d(TensorRef x, TensorRef weight, TensorRef? bias, Conv2dParams parameters, TensorRef destination) => Then(OpKind.Conv2d, destination, () => _k.Conv2d(In(x), In(weight), In(bias), parameters, In(destination)));

        public void UpsampleNearest(TensorRef x, int scale, TensorRef destination) => Then(OpKind.UpsampleNearest, destination, () => _k.UpsampleNearest(In(x), scale, In(destination)));

        public void Rope(TensorRef x, TensorRef cos, TensorRef sin, RopeLayout layout, TensorRef destination) => Then(OpKind.Rope, destination, () => _k.Rope(In(x), In(cos), In(sin), layout, In(destination)));

        public void Attention(TensorRef q, TensorRef k, TensorRef v, TensorRef? keyMask, bool causal, float scale, TensorRef destination)
            => Then(OpKind.Attention, destination, () => _k.Attention(In(q), In(k), In(v), In(keyMask), causal, scale, In(destination)));

        public void SwiGlu(TensorRef gate, TensorRef up, TensorRef destination) => Then(OpKind.SwiGlu, destination, () => _k.SwiGlu(In(gate), In(up), In(destination)));

        public void Reduce(ReduceOp op, TensorRef x, TensorRef destination) => Then(OpKind.Reduce, destination, () => _k.Reduce(op, In(x), In(destination)));

        private static TensorRef In(TensorRef t) => t with { Storage = PerturbedBackend.Inner(t.Storage) };

        private static TensorRef? In(TensorRef? t) => t is { } r ? In(r) : null;

        private void Then(OpKind op, TensorRef destination, Action run)
        {
            run();
            if (op == perturbed)
            {
                // In place, same layout: allowed for element-wise kernels. The perturbed ops' destinations are contiguous.
                TensorRef d = In(destination);
                _k.Affine(d, 1.02f, 0f, d);
            }
        }
    }
}
