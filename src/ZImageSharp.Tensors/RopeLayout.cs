namespace ZImageSharp.Tensors;

/// <summary>Which elements of a head vector form the rotated pairs.</summary>
public enum RopeLayout
{
    /// <summary>Pairs (x[2i], x[2i+1]) rotate by angle i: the complex form of the Z-Image DiT and Flux.</summary>
    Interleaved,

    /// <summary>Pairs (x[i], x[i+D/2]) rotate by angle i: <c>rotate_half</c> of Llama/Qwen3.</summary>
    HalfSplit,
}
