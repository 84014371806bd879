namespace ZImageSharp.Tensors;

// Arithmetic operators, for formulas whose broadcasting is obvious (residual adds, gates, scales).
// Each returns a new tensor; inside a TensorScope the temporaries are disposed with the scope.
public sealed partial class Tensor
{
    /// <summary>Element-wise sum with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Ops.Add(a, b);

    /// <summary>Element-wise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Ops.Sub(a, b);

    /// <summary>Element-wise product with broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Ops.Mul(a, b);

    /// <summary>Element-wise quotient with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Ops.Div(a, b);

    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(Tensor a, float b) => Ops.Affine(a, 1f, b);

    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(float a, Tensor b) => Ops.Affine(b, 1f, a);

    /// <summary>Subtracts a scalar.</summary>
    public static Tensor operator -(Tensor a, float b) => Ops.Affine(a, 1f, -b);

    /// <summary>Scalar minus tensor.</summary>
    public static Tensor operator -(float a, Tensor b) => Ops.Affine(b, -1f, a);

    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(Tensor a, float b) => Ops.Affine(a, b, -0f);

    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(float a, Tensor b) => Ops.Affine(b, a, -0f);

    /// <summary>Divides by a scalar (a true division, see <see cref="Ops.Div(Tensor, float)"/>).</summary>
    public static Tensor operator /(Tensor a, float b) => Ops.Div(a, b);

    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => Ops.Neg(a);
}
