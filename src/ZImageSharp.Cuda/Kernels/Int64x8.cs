using System.Runtime.CompilerServices;

namespace ZImageSharp.Cuda.Kernels;

/// <summary>Eight 64-bit integers stored inline: the C array <c>long long x[8]</c> of <c>TensorDesc</c>.</summary>
[InlineArray(TensorDescriptor.MaxRank)]
internal struct Int64x8
{
    private long _element;
}
