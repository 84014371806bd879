namespace ZImageSharp.Tensors;

/// <summary>
/// A backend without memory (PyTorch's "meta" device): tensors have shapes and dtypes but no elements, and every op
/// only produces the result's shape. Loaders skip reading data for it, so a full-size model can be built against a
/// checkpoint's names and shapes in no time and no memory (to validate checkpoints and plan memory).
/// </summary>
public sealed class MetaBackend : IBackend
{
    /// <summary>A shared instance (the backend holds no state).</summary>
    public static MetaBackend Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => "meta";

    /// <inheritdoc/>
    public IKernels Kernels { get; } = new NoDataKernels();

    /// <inheritdoc/>
    public bool Supports(OpKind op, DType dtype) => true;

    /// <inheritdoc/>
    public Storage Allocate(long byteLength) => new MetaStorage(this, byteLength);

    /// <summary>Ignored: meta tensors hold no data.</summary>
    public void Upload(ReadOnlySpan<byte> source, Storage destination, long byteOffset)
    {
    }

    /// <summary>Always throws: meta tensors hold no data.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public void Download(Storage source, long byteOffset, Span<byte> destination)
        => throw new NotSupportedException("Meta tensors hold no data; there is nothing to read back.");

    /// <inheritdoc/>
    public void Synchronize()
    {
    }

    private sealed class MetaStorage(IBackend backend, long byteLength) : Storage(backend, byteLength, isReadOnly: false)
    {
        protected override void ReleaseCore()
        {
        }
    }

    /// <summary>Every op is shape-only: Ops has already validated the arguments and allocated the result.</summary>
    private sealed class NoDataKernels : IKernels
    {
        public void Copy(TensorRef source, TensorRef destination)
        {
        }

        public void Fill(TensorRef destination, double value)
        {
        }

        public void IndexSelect(TensorRef source, TensorRef indices, int dim, TensorRef destination)
        {
        }

        public void Unary(UnaryOp op, TensorRef x, TensorRef destination)
        {
        }

        public void Binary(BinaryOp op, TensorRef a, TensorRef b, TensorRef destination)
        {
        }

        public void Affine(TensorRef x, float scale, float shift, TensorRef destination)
        {
        }

        public void Clamp(TensorRef x, float min, float max, TensorRef destination)
        {
        }

        public void RmsNorm(TensorRef x, TensorRef? weight, float eps, TensorRef destination)
        {
        }

        public void RmsNormScaled(TensorRef x, TensorRef? weight, float eps, TensorRef? scale, TensorRef? residual, TensorRef destination)
        {
        }

        public void LayerNorm(TensorRef x, TensorRef? weight, TensorRef? bias, float eps, TensorRef destination)
        {
        }

        public void GroupNorm(TensorRef x, int groups, TensorRef? weight, TensorRef? bias, float eps, TensorRef destination)
        {
        }

        public void Softmax(TensorRef x, TensorRef destination)
        {
        }

        public void MatMul(TensorRef a, TensorRef b, TensorRef? bias, TensorRef destination)
        {
        }

        public void Conv2d(TensorRef x, TensorRef weight, TensorRef? bias, Conv2dParams parameters, TensorRef destination)
        {
        }

        public void UpsampleNearest(TensorRef x, int scale, TensorRef destination)
        {
        }

        public void Rope(TensorRef x, TensorRef cos, TensorRef sin, RopeLayout layout, TensorRef destination)
        {
        }

        public void Attention(TensorRef q, TensorRef k, TensorRef v, TensorRef? keyMask, bool causal, float scale, TensorRef destination)
        {
        }

        public void SwiGlu(TensorRef gate, TensorRef up, TensorRef destination)
        {
        }

        public void Reduce(ReduceOp op, TensorRef x, TensorRef destination)
        {
        }
    }
}
