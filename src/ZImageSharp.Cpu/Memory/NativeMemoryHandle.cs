using System.Runtime.InteropServices;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

/// <summary>Owns one 64-byte aligned native allocation; freed when released or, as a safety net, finalised.</summary>
internal sealed unsafe class NativeMemoryHandle : SafeHandle
{
    /// <summary>Alignment of every allocation: one cache line, and the width of an AVX-512 vector.</summary>
    public const int Alignment = 64;

    private readonly long _byteLength;

    private NativeMemoryHandle(long byteLength)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        _byteLength = byteLength;

        // A zero-byte request still gets a valid, unique pointer so views of empty tensors have an address.
        nuint size = (nuint)Math.Max(byteLength, 1);
        void* p = NativeMemory.AlignedAlloc(size, Alignment);
        SetHandle((nint)p);
        if (byteLength > 0)
        {
            GC.AddMemoryPressure(byteLength);
        }
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Allocates <paramref name="byteLength"/> bytes.</summary>
    /// <exception cref="DeviceOutOfMemoryException">With the requested size in the message.</exception>
    public static NativeMemoryHandle Allocate(long byteLength)
    {
        try
        {
            return new NativeMemoryHandle(byteLength);
        }
        catch (OutOfMemoryException e)
        {
            throw new DeviceOutOfMemoryException("cpu", byteLength, null, null, e);
        }
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        NativeMemory.AlignedFree((void*)handle);
        if (_byteLength > 0)
        {
            GC.RemoveMemoryPressure(_byteLength);
        }

        return true;
    }
}
