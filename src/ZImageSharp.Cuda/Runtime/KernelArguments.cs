using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ZImageSharp.Cuda.Runtime;

/// <summary>
/// The parameter list of one kernel launch, packed the way <c>cuLaunchKernel</c> wants it: each value copied into a
/// native buffer at its natural alignment, plus an array of pointers to the values.
/// </summary>
/// <remarks>Values are blittable structs in the kernel's parameter order; a struct passed by value must match the
/// CUDA C declaration field for field (sequential layout, same sizes). Parameters are limited to 4 KiB by CUDA;
/// this buffer holds 4 KiB. Not thread-safe; one instance per launch (or reuse after <see cref="Clear"/>).</remarks>
internal sealed unsafe class KernelArguments : IDisposable
{
    private const int Capacity = 4096;
    private const int MaxCount = 64;

    // Invariant: _values points at Capacity bytes, 16-byte aligned; _pointers at MaxCount pointers; both owned here
    // and freed once in Dispose. _pointers[i] points into _values for i < Count.
    private byte* _values;
    private void** _pointers;
    private int _used;

    /// <summary>Creates an empty list.</summary>
    public KernelArguments()
    {
        _values = (byte*)NativeMemory.AlignedAlloc(Capacity, 16);
        _pointers = (void**)NativeMemory.AlignedAlloc((nuint)(MaxCount * sizeof(void*)), 16);
    }

    /// <summary>How many values were added.</summary>
    public int Count { get; private set; }

    /// <summary>The <c>void** kernelParams</c> array for <c>cuLaunchKernel</c>; valid until the next change or dispose.</summary>
    public nint ParameterPointers
    {
        get
        {
            ObjectDisposedException.ThrowIf(_values == null, this);
            return (nint)_pointers;
        }
    }

    /// <summary>Appends a value (a scalar, a device address as <see cref="ulong"/>, or a parameter struct).</summary>
    public KernelArguments Add<T>(T value)
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_values == null, this);
        int size = sizeof(T);
        // The driver copies each value from its pointer into the kernel's own parameter layout, so host-side
        // alignment only has to make the reads natural: 8 for anything of 8 bytes or more.
        int align = size >= 8 ? 8 : size is 4 or 2 ? size : 1;

        int offset = (_used + align - 1) / align * align;
        if (offset + size > Capacity || Count == MaxCount)
        {
            throw new InvalidOperationException($"Kernel parameters exceed CUDA's limit ({Capacity} bytes, {MaxCount} values).");
        }

        Unsafe.WriteUnaligned(_values + offset, value);
        _pointers[Count++] = _values + offset;
        _used = offset + size;
        return this;
    }

    /// <summary>Empties the list for reuse.</summary>
    public void Clear()
    {
        Count = 0;
        _used = 0;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_values != null)
        {
            NativeMemory.AlignedFree(_values);
            NativeMemory.AlignedFree(_pointers);
            _values = null;
            _pointers = null;
        }
    }
}
