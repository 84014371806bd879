using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

/// <summary>Raw addresses of CPU tensors, for kernels.</summary>
internal static unsafe class CpuMemory
{
    /// <summary>Start of the tensor's storage (element index 0 of the storage, not of the layout).</summary>
    /// <remarks>Valid while the tensor's storage is alive; Ops keeps every argument alive for the kernel call.</remarks>
    public static byte* Base(in TensorRef t) => ((CpuStorage)t.Storage).Pointer;

    /// <summary>Address of the tensor's first element (its layout offset applied).</summary>
    public static byte* Origin(in TensorRef t) => Base(t) + (t.Layout.Offset * t.DType.ElementSize());

    /// <summary>The first element as a typed pointer.</summary>
    public static T* Origin<T>(in TensorRef t)
        where T : unmanaged => (T*)Origin(t);
}
