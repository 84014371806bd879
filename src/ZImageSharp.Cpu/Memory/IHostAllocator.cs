namespace ZImageSharp.Cpu;

/// <summary>Where <see cref="HostMemoryPool"/> gets memory: the system, or a fake in tests.</summary>
internal interface IHostAllocator
{
    /// <summary><paramref name="bytes"/> bytes aligned to <paramref name="alignment"/> (a power of two), or 0 when refused.</summary>
    nint Allocate(long bytes, long alignment);

    /// <summary>Frees a block from <see cref="Allocate"/> of that size.</summary>
    void Free(nint block, long bytes);

    /// <summary>Asks for the block to be backed by huge pages (a hint; may do nothing).</summary>
    void AdviseHugePages(nint block, long bytes);
}
