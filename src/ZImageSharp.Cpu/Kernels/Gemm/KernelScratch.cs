namespace ZImageSharp.Cpu;

/// <summary>
/// Per-thread scratch for kernel work chunks (packed panels, score and accumulator tiles): one 64-byte aligned native
/// buffer per thread that grows on demand and is reused by every later call, so tiles never allocate and repeated
/// calls do not pay page faults. A thread's buffer is freed by its handle's finalizer when the thread ends.
/// </summary>
/// <remarks>Invariant: a pointer from <see cref="Get"/> is valid until the same thread calls it again, so only parallel
/// chunk bodies use it (a body never nests another kernel's body), never a driver around a parallel loop.</remarks>
internal static unsafe class KernelScratch
{
    [ThreadStatic]
    private static NativeMemoryHandle? _buffer;

    [ThreadStatic]
    private static long _capacity;

    /// <summary>At least <paramref name="floats"/> f32 slots of this thread's scratch (contents undefined).</summary>
    public static float* Get(long floats)
    {
        long bytes = Math.Max(floats, 1) * sizeof(float);
        if (_buffer is null || _capacity < bytes)
        {
            _buffer?.Dispose();
            _buffer = null;
            long grown = Math.Max(bytes, _capacity + (_capacity / 2));
            _buffer = NativeMemoryHandle.Allocate(grown);
            _capacity = grown;
        }

        return (float*)_buffer.DangerousGetHandle();
    }
}
