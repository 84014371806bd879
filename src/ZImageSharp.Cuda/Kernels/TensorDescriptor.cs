using System.Runtime.InteropServices;

namespace ZImageSharp.Cuda.Kernels;

/// <summary>
/// A strided view passed by value to a kernel: the C# mirror of <c>struct TensorDesc</c> in
/// <c>Kernels/Source/common.cuh</c>, field for field (8 + 4 + 4 + 64 + 64 = 144 bytes, 8-byte aligned; the ABI test
/// checks the size against the PTX parameter list).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TensorDescriptor
{
    /// <summary>The most dimensions a descriptor holds (<c>ZI_MAX_RANK</c>; equal to <see cref="Tensors.Shape.MaxRank"/>).</summary>
    public const int MaxRank = 8;

    /// <summary>The size in bytes the CUDA side expects.</summary>
    public const int ByteSize = 144;

    /// <summary>Device address of the first element.</summary>
    public ulong Address;

    /// <summary>Number of dimensions in use (1..<see cref="MaxRank"/>).</summary>
    public int Rank;

    /// <summary>The element type as the <see cref="Tensors.DType"/> value.</summary>
    public int DType;

    /// <summary>Sizes, outermost first; entries past <see cref="Rank"/> are 0.</summary>
    public Int64x8 Sizes;

    /// <summary>Strides in elements, outermost first.</summary>
    public Int64x8 Strides;
}
