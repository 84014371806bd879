namespace ZImageSharp.Tensors;

// Element-wise math: unary functions, broadcasting binary ops, scalar affine maps, clamp and the fused SwiGLU.
public static partial class Ops
{
    /// <summary>op(x) element-wise; the result has x's dtype (or <paramref name="outDType"/>).</summary>
    public static Tensor Unary(UnaryOp op, Tensor x, DType? outDType = null)
    {
        string name = op.ToString().ToLowerInvariant();
        OpChecks.NotNull(name, x, nameof(x));
        OpChecks.Float(name, x, nameof(x));
        OpChecks.Supported(OpKind.Unary, x);
        Tensor result = Tensor.Empty(x.Backend, x.Shape, outDType ?? x.DType);
        x.Backend.Kernels.Unary(op, x.ToRef(), result.ToRef());
        return result;
    }

    /// <summary>op(a, b) element-wise with NumPy broadcasting; mixed float dtypes promote to F32 (<see cref="DTypes.Promote"/>).</summary>
    public static Tensor Binary(BinaryOp op, Tensor a, Tensor b, DType? outDType = null)
    {
        string name = op.ToString().ToLowerInvariant();
        OpChecks.NotNull(name, a, nameof(a));
        OpChecks.NotNull(name, b, nameof(b));
        OpChecks.SameBackend(name, a, b, nameof(b));
        OpChecks.Float(name, a, nameof(a));
        OpChecks.Float(name, b, nameof(b));
        OpChecks.Supported(OpKind.Binary, a);
        Shape shape = Shape.Broadcast(a.Shape, b.Shape, name);
        Tensor result = Tensor.Empty(a.Backend, shape, outDType ?? DTypes.Promote(a.DType, b.DType));
        var ra = new TensorRef(a.Storage, a.Layout.BroadcastTo(shape), a.DType);
        var rb = new TensorRef(b.Storage, b.Layout.BroadcastTo(shape), b.DType);
        a.Backend.Kernels.Binary(op, ra, rb, result.ToRef());
        return result;
    }

    /// <summary>scale·x + shift element-wise.</summary>
    public static Tensor Affine(Tensor x, float scale, float shift, DType? outDType = null)
    {
        const string op = "affine";
        OpChecks.NotNull(op, x, nameof(x));
        OpChecks.Float(op, x, nameof(x));
        OpChecks.Supported(OpKind.Affine, x);
        Tensor result = Tensor.Empty(x.Backend, x.Shape, outDType ?? x.DType);
        x.Backend.Kernels.Affine(x.ToRef(), scale, shift, result.ToRef());
        return result;
    }

    /// <summary>Clamps every element to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Tensor Clamp(Tensor x, float min, float max, DType? outDType = null)
    {
        const string op = "clamp";
        OpChecks.NotNull(op, x, nameof(x));
        OpChecks.Float(op, x, nameof(x));
        OpChecks.Supported(OpKind.Clamp, x);
        if (!(min <= max))
        {
            throw new TensorOpException(op, $"min {min} is greater than max {max}.");
        }

        Tensor result = Tensor.Empty(x.Backend, x.Shape, outDType ?? x.DType);
        x.Backend.Kernels.Clamp(x.ToRef(), min, max, result.ToRef());
        return result;
    }

    /// <summary>silu(gate)·up (the SwiGLU gate of Qwen3 and Z-Image feed-forward layers); equal shapes.</summary>
    public static Tensor SwiGlu(Tensor gate, Tensor up)
    {
        const string op = "swiglu";
        OpChecks.NotNull(op, gate, nameof(gate));
        OpChecks.NotNull(op, up, nameof(up));
        OpChecks.SameBackend(op, gate, up, nameof(up));
        OpChecks.Float(op, gate, nameof(gate));
        OpChecks.Float(op, up, nameof(up));
        if (gate.Shape != up.Shape)
        {
            throw new ShapeMismatchException(op, $"gate {gate.Shape} and up {up.Shape} differ.");
        }

        if (!gate.Backend.Supports(OpKind.SwiGlu, gate.DType))
        {
            return Composite.SwiGlu(gate, up);
        }

        Tensor result = Tensor.Empty(gate.Backend, gate.Shape, DTypes.Promote(gate.DType, up.DType));
        gate.Backend.Kernels.SwiGlu(gate.ToRef(), up.ToRef(), result.ToRef());
        return result;
    }

    /// <summary>a + b with broadcasting.</summary>
    public static Tensor Add(Tensor a, Tensor b) => Binary(BinaryOp.Add, a, b);

    /// <summary>a − b with broadcasting.</summary>
    public static Tensor Sub(Tensor a, Tensor b) => Binary(BinaryOp.Sub, a, b);

    /// <summary>a · b with broadcasting.</summary>
    public static Tensor Mul(Tensor a, Tensor b) => Binary(BinaryOp.Mul, a, b);

    /// <summary>a / b with broadcasting.</summary>
    public static Tensor Div(Tensor a, Tensor b) => Binary(BinaryOp.Div, a, b);

    /// <summary>x / divisor, a true division (not a multiplication by the reciprocal, which can differ in the last bit).</summary>
    public static Tensor Div(Tensor x, float divisor)
    {
        OpChecks.NotNull("div", x, nameof(x));
        using Tensor d = Tensor.Full(x.Backend, Shape.Scalar, divisor, DType.F32);
        return Binary(BinaryOp.Div, x, d, x.DType);
    }

    /// <summary>Element-wise maximum with broadcasting.</summary>
    public static Tensor Maximum(Tensor a, Tensor b) => Binary(BinaryOp.Maximum, a, b);

    /// <summary>Element-wise minimum with broadcasting.</summary>
    public static Tensor Minimum(Tensor a, Tensor b) => Binary(BinaryOp.Minimum, a, b);

    /// <summary>−x</summary>
    public static Tensor Neg(Tensor x) => Unary(UnaryOp.Neg, x);

    /// <summary>|x|</summary>
    public static Tensor Abs(Tensor x) => Unary(UnaryOp.Abs, x);

    /// <summary>x²</summary>
    public static Tensor Square(Tensor x) => Unary(UnaryOp.Square, x);

    /// <summary>√x</summary>
    public static Tensor Sqrt(Tensor x) => Unary(UnaryOp.Sqrt, x);

    /// <summary>1/√x</summary>
    public static Tensor Rsqrt(Tensor x) => Unary(UnaryOp.Rsqrt, x);

    /// <summary>eˣ</summary>
    public static Tensor Exp(Tensor x) => Unary(UnaryOp.Exp, x);

    /// <summary>ln x</summary>
    public static Tensor Log(Tensor x) => Unary(UnaryOp.Log, x);

    /// <summary>tanh x</summary>
    public static Tensor Tanh(Tensor x) => Unary(UnaryOp.Tanh, x);

    /// <summary>1/(1+e⁻ˣ)</summary>
    public static Tensor Sigmoid(Tensor x) => Unary(UnaryOp.Sigmoid, x);

    /// <summary>x·sigmoid(x)</summary>
    public static Tensor Silu(Tensor x) => Unary(UnaryOp.Silu, x);

    /// <summary>Exact (erf) GELU.</summary>
    public static Tensor Gelu(Tensor x) => Unary(UnaryOp.Gelu, x);

    /// <summary>cos x</summary>
    public static Tensor Cos(Tensor x) => Unary(UnaryOp.Cos, x);

    /// <summary>sin x</summary>
    public static Tensor Sin(Tensor x) => Unary(UnaryOp.Sin, x);
}
