using System.Runtime.InteropServices;

namespace ZImageSharp.Cpu;

/// <summary>System memory through the C runtime's aligned allocator, with Linux's madvise for huge pages.</summary>
internal sealed unsafe partial class NativeHostAllocator : IHostAllocator
{
    // MADV_HUGEPAGE from <sys/mman.h> (Linux): back the range with transparent huge pages when the system allows it.
    private const int MadvHugePage = 14;

    private static bool s_adviseUnavailable = !OperatingSystem.IsLinux();

    private NativeHostAllocator()
    {
    }

    /// <summary>The one instance.</summary>
    public static NativeHostAllocator Instance { get; } = new();

    /// <inheritdoc/>
    public nint Allocate(long bytes, long alignment)
    {
        try
        {
            return (nint)NativeMemory.AlignedAlloc((nuint)bytes, (nuint)alignment);
        }
        catch (OutOfMemoryException)
        {
            return 0;
        }
    }

    /// <inheritdoc/>
    public void Free(nint block, long bytes) => NativeMemory.AlignedFree((void*)block);

    /// <inheritdoc/>
    public void AdviseHugePages(nint block, long bytes)
    {
        if (s_adviseUnavailable)
        {
            return;
        }

        try
        {
            // A refusal (EINVAL where THP is compiled out) only loses the speed-up; the memory is fine either way.
            _ = Madvise(block, (nuint)bytes, MadvHugePage);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_adviseUnavailable = true;
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
