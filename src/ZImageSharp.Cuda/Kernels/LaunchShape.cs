using ZImageSharp.Cuda.Runtime;

namespace ZImageSharp.Cuda.Kernels;

/// <summary>Grid and block sizes for the kernel families (all kernels loop grid-stride, so grids may be capped).</summary>
internal static class LaunchShape
{
    /// <summary>Threads per block of the element-wise and copy kernels.</summary>
    public const uint ElementwiseBlock = 256;

    /// <summary>The largest grid.x CUDA accepts.</summary>
    public const uint MaxGridX = int.MaxValue;

    /// <summary>Blocks per multiprocessor an element-wise grid is capped at: enough to fill the device several times
    /// over, few enough that each thread loops over a handful of elements.</summary>
    private const int BlocksPerMultiprocessor = 32;

    /// <summary>A 1-D grid-stride launch over <paramref name="count"/> elements.</summary>
    public static (Dim3 Grid, Dim3 Block) Elementwise(long count, int multiprocessors)
    {
        long cap = (long)Math.Max(1, multiprocessors) * BlocksPerMultiprocessor;
        uint blocks = (uint)Math.Min(Dim3.BlocksFor(count, ElementwiseBlock), cap);
        return (new Dim3(blocks), new Dim3(ElementwiseBlock));
    }

    /// <summary>One block per row (looping when there are more rows than <see cref="MaxGridX"/>), with a power of two
    /// from 32 to 512 threads, about four elements per thread.</summary>
    public static (Dim3 Grid, Dim3 Block) Rows(long rows, int rowLength)
    {
        uint threads = 32;
        while (threads < 512 && threads * 4 < rowLength)
        {
            threads *= 2;
        }

        return (new Dim3((uint)Math.Clamp(rows, 1, MaxGridX)), new Dim3(threads));
    }
}
