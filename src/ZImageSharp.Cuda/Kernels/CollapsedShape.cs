namespace ZImageSharp.Cuda.Kernels;

/// <summary>
/// The dimensions several same-shape views share after collapsing: size-1 dimensions dropped and neighbours merged
/// wherever every view steps through them as one (outer stride = inner stride · inner size).
/// </summary>
/// <param name="Sizes">Sizes, outermost first (at least one entry; a scalar is [1]).</param>
/// <param name="Strides">Per view, its strides for <paramref name="Sizes"/>.</param>
internal sealed record CollapsedShape(long[] Sizes, long[][] Strides)
{
    /// <summary>Number of dimensions after collapsing.</summary>
    public int Rank => Sizes.Length;
}
