namespace ZImageSharp.Tensors;

/// <summary>
/// The op set every backend implements. <see cref="Ops"/> validates shapes, dtypes and devices, allocates the
/// destination and only then calls these methods, so implementations may assume valid arguments.
/// </summary>
/// <remarks>
/// <para>Contracts shared by all methods unless a method says otherwise:</para>
/// <list type="bullet">
/// <item>All tensors live on this backend. Math ops accept F32, F16 and BF16 and accumulate in f32 (or wider);
/// the destination's dtype may differ from the inputs' and is written with round-to-nearest-even.</item>
/// <item>The destination is row-major contiguous (any offset) and does not overlap an input, except that an
/// element-wise op may write over an input with the identical layout (in place).</item>
/// <item>Parameter tensors (norm weights and biases, matmul bias) may have a float dtype other than the input's
/// (e.g. BF16 weights with F32 activations); kernels widen them to f32.</item>
/// <item>"Rows" means the last dimension: ops that work on rows require inputs whose last dimension has stride 1
/// (or size 1); the other dimensions may have any stride, including 0 (broadcast).</item>
/// </list>
/// </remarks>
public interface IKernels
{
    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/>, converting the dtype if they differ.</summary>
    /// <remarks>Same shape; both layouts arbitrary (the destination may be a strided view, e.g. a slice for concat).
    /// Float→int conversion truncates toward zero; any dtype pair is allowed.</remarks>
    void Copy(TensorRef source, TensorRef destination);

    /// <summary>Sets every element of <paramref name="destination"/> (any layout) to <paramref name="value"/>.</summary>
    void Fill(TensorRef destination, double value);

    /// <summary>destination[..., i, ...] = source[..., indices[i], ...] along <paramref name="dim"/>.</summary>
    /// <remarks><paramref name="source"/> is contiguous (any dtype); <paramref name="indices"/> is a contiguous 1-D I32 or
    /// I64 tensor whose values were checked to lie in range; destination has the source's dtype.</remarks>
    void IndexSelect(TensorRef source, TensorRef indices, int dim, TensorRef destination);

    /// <summary>destination = op(x), element-wise. <paramref name="x"/> has the destination's shape with any strides.</summary>
    void Unary(UnaryOp op, TensorRef x, TensorRef destination);

    /// <summary>destination = op(a, b), element-wise; a and b are already broadcast to the destination's shape (stride 0).</summary>
    void Binary(BinaryOp op, TensorRef a, TensorRef b, TensorRef destination);

    /// <summary>destination = scale·x + shift, element-wise; x has any strides.</summary>
    void Affine(TensorRef x, float scale, float shift, TensorRef destination);

    /// <summary>destination = min(max(x, min), max), element-wise; x has any strides. NaN stays NaN.</summary>
    void Clamp(TensorRef x, float min, float max, TensorRef destination);

    /// <summary>destination = x / √(mean(x²) + eps) · weight over the last dimension (rows).</summary>
    /// <remarks><paramref name="weight"/> is null or a contiguous 1-D tensor of the row length.</remarks>
    void RmsNorm(TensorRef x, TensorRef? weight, float eps, TensorRef destination);

    /// <summary>destination = residual + (x / √(mean(x²) + eps) · weight) · scale over the last dimension (rows), each
    /// product and the sum rounded to f32 in that order, so the result equals the composite of RMSNorm, multiply, add.</summary>
    /// <remarks><paramref name="weight"/> is null or contiguous 1-D of the row length. <paramref name="scale"/> and
    /// <paramref name="residual"/> are null or have x's shape with any strides (0 where a [B, 1, D] scale is broadcast
    /// over tokens) and stride 1 in the last dimension. The destination may be the residual's memory with the same
    /// layout (in place).</remarks>
    void RmsNormScaled(TensorRef x, TensorRef? weight, float eps, TensorRef? scale, TensorRef? residual, TensorRef destination);

    /// <summary>destination = (x − mean) / √(var + eps) · weight + bias over the last dimension (biased variance).</summary>
    /// <remarks><paramref name="weight"/> and <paramref name="bias"/> are null or contiguous 1-D of the row length.</remarks>
    void LayerNorm(TensorRef x, TensorRef? weight, TensorRef? bias, float eps, TensorRef destination);

    /// <summary>Group normalisation of a contiguous [N, C, S] tensor: C splits into <paramref name="groups"/> groups of
    /// C/groups channels; mean and biased variance over each group's (C/groups)·S elements; then per-channel weight, bias.</summary>
    void GroupNorm(TensorRef x, int groups, TensorRef? weight, TensorRef? bias, float eps, TensorRef destination);

    /// <summary>Softmax over the last dimension (rows), max-subtracted, f32 statistics.</summary>
    void Softmax(TensorRef x, TensorRef destination);

    /// <summary>destination[b] = a[b] · b[b] (+ bias) for rank-3 operands [batch, M, K] · [batch, K, N] → [batch, M, N].</summary>
    /// <remarks>Each operand's last two dimensions are row-major (stride of the last = 1) or column-major (stride of the
    /// second-to-last = 1, i.e. a transposed view); the batch stride is arbitrary, 0 for a shared matrix.
    /// <paramref name="bias"/> is null or a contiguous 1-D tensor of length N added to every row.</remarks>
    void MatMul(TensorRef a, TensorRef b, TensorRef? bias, TensorRef destination);

    /// <summary>2-D convolution of contiguous x [N, Cin, H, W] with contiguous weight [Cout, Cin, KH, KW] and optional
    /// bias [Cout] into [N, Cout, OH, OW].</summary>
    void Conv2d(TensorRef x, TensorRef weight, TensorRef? bias, Conv2dParams parameters, TensorRef destination);

    /// <summary>Nearest-neighbour upsampling of contiguous x [N, C, H, W] into [N, C, H·scale, W·scale].</summary>
    void UpsampleNearest(TensorRef x, int scale, TensorRef destination);

    /// <summary>Rotary embedding of x [B, S, H, D] (rows) with angle tables cos, sin [Bt, S, D/2] (Bt = 1 or B,
    /// contiguous F32): each pair (see <paramref name="layout"/>) p = (x1, x2) at angle i becomes
    /// (x1·cos − x2·sin, x1·sin + x2·cos).</summary>
    void Rope(TensorRef x, TensorRef cos, TensorRef sin, RopeLayout layout, TensorRef destination);

    /// <summary>Scaled dot-product attention.</summary>
    /// <remarks>q [B, Hq, Sq, D], k [B, Hkv, Sk, D], v [B, Hkv, Sk, Dv] with Hq a multiple of Hkv (query head h reads
    /// kv head h / (Hq/Hkv)); all rows, other strides arbitrary. <paramref name="keyMask"/> is null or a contiguous U8
    /// [B, Sk] (1 = attend). <paramref name="causal"/> hides key j from query i when j &gt; i (top-left aligned, as
    /// PyTorch's is_causal). A query that sees no key gets a zero output row. The destination [B, Hq, Sq, Dv] has stride 1
    /// in its last dimension but may be a permuted view (so the result can be written straight into [B, Sq, Hq, Dv]).</remarks>
    void Attention(TensorRef q, TensorRef k, TensorRef v, TensorRef? keyMask, bool causal, float scale, TensorRef destination);

    /// <summary>destination = silu(gate) · up, element-wise; both inputs have the destination's shape with any strides.</summary>
    void SwiGlu(TensorRef gate, TensorRef up, TensorRef destination);

    /// <summary>Reduces each row (last dimension) of x to one value: destination has x's shape with the last size 1.</summary>
    void Reduce(ReduceOp op, TensorRef x, TensorRef destination);
}
