using ZImageSharp.Cuda.Runtime;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Kernels;

/// <summary>The op set on the GPU: each method launches embedded CUDA C kernels through the host (<see cref="ICudaKernelHost"/>).</summary>
internal sealed partial class CudaKernels : IKernels
{
    private readonly ICudaKernelHost _host;

    /// <summary>Creates the op set for one backend.</summary>
    public CudaKernels(ICudaKernelHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host;
    }

    /// <summary>Whether an op is implemented on the GPU for a dtype (the backend's <see cref="IBackend.Supports"/>).</summary>
    public static bool Supports(OpKind op, DType dtype) => false;

    /// <inheritdoc/>
    public void Copy(TensorRef source, TensorRef destination) => throw Missing();

    /// <inheritdoc/>
    public void Fill(TensorRef destination, double value) => throw Missing();

    /// <inheritdoc/>
    public void IndexSelect(TensorRef source, TensorRef indices, int dim, TensorRef destination) => throw Missing();

    /// <inheritdoc/>
    public void Unary(UnaryOp op, TensorRef x, TensorRef destination) => throw Missing();

    /// <inheritdoc/>
    public void Binary(BinaryOp op, TensorRef a, TensorRef b, TensorRef destination) => throw Missing();

    /// <inheritdoc/>
    public void Affine(TensorRef x, float scale, float shift, TensorRef destination) => throw Missing();

    /// <inheritdoc/>
    public void Clamp(TensorRef x, float min, float max, TensorRef destination) => throw Missing();

    /// <inheritdoc/>
    public void RmsNorm(TensorRef x, TensorRef? weight, float eps, TensorRef destination) => throw Missing();

    /// <inheritdoc/>
    public void RmsNormScaled(TensorRef x, TensorRef? weight, float eps, TensorRef? scale, TensorRef? residual, TensorRef destination) => throw Missing();

    /// <inheritdoc/>
    public void LayerNorm(TensorRef x, TensorRef? weight, TensorRef? bias, float eps, TensorRef destination) => throw Missing();

    /// <inheritdoc/>
    public void GroupNorm(TensorRef x, int groups, TensorRef? weight, TensorRef? bias, float eps, TensorRef destination) => throw Missing();

    /// <inheritdoc/>
    public void Softmax(TensorRef x, TensorRef destination) => throw Missing();

    /// <inheritdoc/>
    public void MatMul(TensorRef a, TensorRef b, TensorRef? bias, TensorRef destination) => _host.MatMul(a, b, bias, destination);

    /// <inheritdoc/>
    public void Conv2d(TensorRef x, TensorRef weight, TensorRef? bias, Conv2dParams parameters, TensorRef destination) => throw Missing();

    /// <inheritdoc/>
    public void UpsampleNearest(TensorRef x, int scale, TensorRef destination) => throw Missing();

    /// <inheritdoc/>
    public void Rope(TensorRef x, TensorRef cos, TensorRef sin, RopeLayout layout, TensorRef destination) => throw Missing();

    /// <inheritdoc/>
    public void Attention(TensorRef q, TensorRef k, TensorRef v, TensorRef? keyMask, bool causal, float scale, TensorRef destination) => throw Missing();

    /// <inheritdoc/>
    public void SwiGlu(TensorRef gate, TensorRef up, TensorRef destination) => throw Missing();

    /// <inheritdoc/>
    public void Reduce(ReduceOp op, TensorRef x, TensorRef destination) => throw Missing();

    private static NotSupportedException Missing() => new("This CUDA kernel is being built (issue 6).");
}
