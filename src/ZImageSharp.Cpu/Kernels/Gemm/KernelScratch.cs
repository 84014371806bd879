namespace ZImageSharp.Cpu;

/// <summary>
/// Per-thread scratch for kernels: 64-byte aligned native buffers that grow on demand and are reused by later calls,
/// so tiles never allocate and repeated calls pay no page faults. Two slots per thread: one for parallel chunk bodies
/// (packed panels, score and accumulator tiles) and one for drivers (operands packed once and shared by all chunks of
/// a call), because a driver's thread also runs one of its chunks. A thread's buffers are freed by their handles'
/// finalizers when the thread ends.
/// </summary>
/// <remarks>Invariant: a pointer is valid until the same thread asks the same slot again. Chunk bodies never nest another
/// kernel's body, and drivers never nest another driver.</remarks>
internal static unsafe class KernelScratch
{
    /// <summary>Driver requests above this (16 MiB) are allocated per call and freed, not cached for the thread's life.</summary>
    private const long MaxCachedDriverFloats = 4L << 20;

    [ThreadStatic]
    private static Slot? _chunk;

    [ThreadStatic]
    private static Slot? _driver;

    /// <summary>At least <paramref name="floats"/> f32 slots of this thread's chunk scratch (contents undefined).</summary>
    public static float* Get(long floats) => (_chunk ??= new Slot()).Get(floats);

    /// <summary>At least <paramref name="floats"/> f32 slots for a driver; when <paramref name="owned"/> is not null the
    /// caller disposes it after the call.</summary>
    public static float* GetDriver(long floats, out NativeMemoryHandle? owned)
    {
        if (floats > MaxCachedDriverFloats)
        {
            owned = NativeMemoryHandle.Allocate(floats * sizeof(float));
            return (float*)owned.DangerousGetHandle();
        }

        owned = null;
        return (_driver ??= new Slot()).Get(floats);
    }

    private sealed class Slot
    {
        private NativeMemoryHandle? _buffer;
        private long _capacity;

        public float* Get(long floats)
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
}
