namespace ZImageSharp.Cuda.Runtime;

/// <summary>A CUDA grid or block size.</summary>
/// <param name="X">Extent in x (≥ 1).</param>
/// <param name="Y">Extent in y (≥ 1).</param>
/// <param name="Z">Extent in z (≥ 1).</param>
internal readonly record struct Dim3(uint X, uint Y = 1, uint Z = 1)
{
    /// <summary>The number of blocks of <paramref name="blockSize"/> that cover <paramref name="count"/> items (at least 1).</summary>
    public static uint BlocksFor(long count, uint blockSize) => (uint)Math.Max(1, (count + blockSize - 1) / blockSize);
}
