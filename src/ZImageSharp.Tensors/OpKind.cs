namespace ZImageSharp.Tensors;

/// <summary>The ops of <see cref="IKernels"/>, for capability queries (<see cref="IBackend.Supports"/>).</summary>
public enum OpKind
{
    /// <summary>Strided copy, also between dtypes (cast).</summary>
    Copy,

    /// <summary>Fill with a constant.</summary>
    Fill,

    /// <summary>Gather along a dimension by integer indices (embeddings, table lookups).</summary>
    IndexSelect,

    /// <summary>Element-wise unary functions (<see cref="UnaryOp"/>).</summary>
    Unary,

    /// <summary>Element-wise binary functions with broadcasting (<see cref="BinaryOp"/>).</summary>
    Binary,

    /// <summary>y = a·x + b with scalar a, b.</summary>
    Affine,

    /// <summary>Clamp to [min, max].</summary>
    Clamp,

    /// <summary>RMS normalisation over the last dimension.</summary>
    RmsNorm,

    /// <summary>Layer normalisation over the last dimension.</summary>
    LayerNorm,

    /// <summary>Group normalisation over channel groups of an NC... tensor.</summary>
    GroupNorm,

    /// <summary>Softmax over the last dimension.</summary>
    Softmax,

    /// <summary>Batched matrix product with optional bias.</summary>
    MatMul,

    /// <summary>2-D convolution, NCHW.</summary>
    Conv2d,

    /// <summary>Nearest-neighbour upsampling by an integer factor, NCHW.</summary>
    UpsampleNearest,

    /// <summary>Rotary position embedding, interleaved or half-split pairs.</summary>
    Rope,

    /// <summary>Scaled dot-product attention with GQA, key mask and causal mask.</summary>
    Attention,

    /// <summary>silu(gate)·up.</summary>
    SwiGlu,

    /// <summary>Reductions over the last dimension (<see cref="ReduceOp"/>).</summary>
    Reduce,

    /// <summary>RMS normalisation followed by a broadcast scale and a residual add, in one pass (the DiT's
    /// norm → modulate and norm → gate → residual chains).</summary>
    RmsNormScaled,
}
