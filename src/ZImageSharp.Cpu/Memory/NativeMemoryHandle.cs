namespace ZImageSharp.Cpu;

/// <summary>Owns one 64-byte aligned block from <see cref="HostMemoryPool"/>; it goes back to the pool when released
/// or, as a safety net, finalised.</summary>
internal sealed class NativeMemoryHandle : System.Runtime.InteropServices.SafeHandle
{
    /// <summary>Alignment of every allocation: one cache line, and the width of an AVX-512 vector.</summary>
    public const int Alignment = (int)HostMemoryPool.Alignment;

    private readonly HostMemoryPool _pool;
    private readonly long _capacity;

    private NativeMemoryHandle(HostMemoryPool pool, long byteLength)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        _pool = pool;

        // A zero-byte request still gets a valid, unique pointer so views of empty tensors have an address.
        SetHandle(pool.Rent(byteLength, out _capacity));
        GC.AddMemoryPressure(_capacity);
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Allocates <paramref name="byteLength"/> bytes from the shared pool.</summary>
    /// <exception cref="Tensors.DeviceOutOfMemoryException">With the requested size in the message.</exception>
    public static NativeMemoryHandle Allocate(long byteLength) => Allocate(HostMemoryPool.Shared, byteLength);

    /// <summary>Allocates <paramref name="byteLength"/> bytes from <paramref name="pool"/>.</summary>
    public static NativeMemoryHandle Allocate(HostMemoryPool pool, long byteLength)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return new NativeMemoryHandle(pool, byteLength);
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        _pool.Return(handle, _capacity);
        GC.RemoveMemoryPressure(_capacity);
        return true;
    }
}
