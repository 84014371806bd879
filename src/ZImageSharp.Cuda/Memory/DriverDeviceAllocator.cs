using ZImageSharp.Cuda.Interop;
using ZImageSharp.Cuda.Runtime;

namespace ZImageSharp.Cuda.Memory;

/// <summary>Device memory straight from the driver (<c>cuMemAlloc_v2</c>/<c>cuMemFree_v2</c>) in one context.</summary>
internal sealed class DriverDeviceAllocator(CudaContext context) : IDeviceAllocator
{
    /// <inheritdoc/>
    public bool TryAllocate(long bytes, out ulong pointer)
    {
        context.MakeCurrent();
        int result = CudaDriver.MemAlloc(out pointer, (nuint)bytes);
        if (result == CudaDriver.OutOfMemory)
        {
            return false;
        }

        CudaDriver.Check(result, "cuMemAlloc_v2", $"{bytes} bytes");
        return true;
    }

    /// <inheritdoc/>
    public void Free(ulong pointer)
    {
        context.MakeCurrent();
        CudaDriver.Check(CudaDriver.MemFree(pointer), "cuMemFree_v2");
    }

    /// <inheritdoc/>
    public (long Free, long Total) MemoryInfo()
    {
        context.MakeCurrent();
        CudaDriver.Check(CudaDriver.MemGetInfo(out nuint free, out nuint total), "cuMemGetInfo_v2");
        return ((long)free, (long)total);
    }
}
