namespace ZImageSharp.Tensors;

/// <summary>Element-wise binary functions, computed in f32.</summary>
public enum BinaryOp
{
    /// <summary>a + b</summary>
    Add,

    /// <summary>a − b</summary>
    Sub,

    /// <summary>a · b</summary>
    Mul,

    /// <summary>a / b</summary>
    Div,

    /// <summary>max(a, b) (NaN if either is NaN)</summary>
    Maximum,

    /// <summary>min(a, b) (NaN if either is NaN)</summary>
    Minimum,
}
