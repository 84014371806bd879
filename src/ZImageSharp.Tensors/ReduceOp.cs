namespace ZImageSharp.Tensors;

/// <summary>Reductions over the last dimension, accumulated in f32 or wider.</summary>
public enum ReduceOp
{
    /// <summary>Σ x</summary>
    Sum,

    /// <summary>Σ x / n</summary>
    Mean,

    /// <summary>max x</summary>
    Max,

    /// <summary>min x</summary>
    Min,

    /// <summary>√(Σ x²)</summary>
    L2Norm,
}
