namespace ZImageSharp.Tensors;

/// <summary>Element-wise unary functions, computed in f32.</summary>
public enum UnaryOp
{
    /// <summary>-x</summary>
    Neg,

    /// <summary>|x|</summary>
    Abs,

    /// <summary>x²</summary>
    Square,

    /// <summary>√x</summary>
    Sqrt,

    /// <summary>1/√x</summary>
    Rsqrt,

    /// <summary>eˣ</summary>
    Exp,

    /// <summary>ln x</summary>
    Log,

    /// <summary>tanh x</summary>
    Tanh,

    /// <summary>1/(1+e⁻ˣ)</summary>
    Sigmoid,

    /// <summary>x·sigmoid(x) (SiLU / swish)</summary>
    Silu,

    /// <summary>GELU, exact form 0.5·x·(1+erf(x/√2))</summary>
    Gelu,

    /// <summary>cos x</summary>
    Cos,

    /// <summary>sin x</summary>
    Sin,

    /// <summary>1/x</summary>
    Reciprocal,
}
