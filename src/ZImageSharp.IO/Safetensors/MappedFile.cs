using System.IO.MemoryMappedFiles;

namespace ZImageSharp.IO.Safetensors;

/// <summary>
/// A read-only memory mapping of a whole file. This is the only <c>unsafe</c> code of the IO library.
/// </summary>
/// <remarks>
/// Invariant: <see cref="_pointer"/> addresses <see cref="Length"/> readable bytes for as long as the view's
/// <see cref="Microsoft.Win32.SafeHandles.SafeMemoryMappedViewHandle"/> holds a reference. This object holds one (taken by AcquirePointer,
/// dropped in <see cref="Dispose"/>); every <see cref="MappedFileLease"/> holds another, so the mapping outlives this
/// object while tensors wrap it. Every span and address handed out is bounds-checked against <see cref="Length"/>.
/// Spans from <see cref="Span"/> are valid only until <see cref="Dispose"/> (they cannot be tracked); tensors use leases.
/// If another process truncates the file while it is mapped, reads past the new end fault: nothing can check that.
/// </remarks>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly FileStream _stream;
    private readonly MemoryMappedFile _mapping;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _pointer;
    private int _disposed;

    private MappedFile(FileStream stream, MemoryMappedFile mapping, MemoryMappedViewAccessor view, byte* pointer, long length)
    {
        _stream = stream;
        _mapping = mapping;
        _view = view;
        _pointer = pointer;
        Length = length;
    }

    /// <summary>Size of the mapped file in bytes.</summary>
    public long Length { get; }

    /// <summary>Maps the whole of an open, non-empty file read-only; the mapping takes ownership of <paramref name="stream"/>.</summary>
    public static MappedFile Open(FileStream stream)
    {
        long length = stream.Length;
        // The stream stays open for Read, which copies without mapping pages into this process.
        var mapping = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = mapping.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            return new MappedFile(stream, mapping, view, pointer + view.PointerOffset, length);
        }
        catch
        {
            view?.Dispose();
            mapping.Dispose();
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>); valid until <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<byte> Span(long offset, int length)
    {
        CheckRange(offset, length);
        return new ReadOnlySpan<byte>(_pointer + offset, length);
    }

    /// <summary>
    /// Copies the bytes from <paramref name="offset"/> into <paramref name="destination"/> with ordinary file reads.
    /// Data that is converted or uploaded (not wrapped) goes this way: read through the mapping, every page would stay
    /// resident in this process (a 24.6 GB F32 transformer converted to bf16 would show as ~37 GB resident).
    /// </summary>
    /// <exception cref="IOException">When the file ends early (it was truncated after opening).</exception>
    public void Read(long offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        while (!destination.IsEmpty)
        {
            int n = RandomAccess.Read(_stream.SafeFileHandle, destination, offset);
            if (n == 0)
            {
                throw new IOException($"{_stream.Name}: the file ended at byte {offset}, inside data that was there when it was opened.");
            }

            destination = destination[n..];
            offset += n;
        }
    }

    /// <summary>
    /// The address of byte <paramref name="offset"/>, with a lease that keeps <paramref name="length"/> bytes from there
    /// mapped until the lease is disposed, even after this object is.
    /// </summary>
    public MappedFileLease Lease(long offset, long length, out nint address)
    {
        CheckRange(offset, length);
        var lease = new MappedFileLease(_view.SafeMemoryMappedViewHandle);
        address = (nint)(_pointer + offset);
        return lease;
    }

    /// <summary>Drops this object's reference; the view is unmapped once every lease is disposed too.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _mapping.Dispose();
        _stream.Dispose();
    }

    private void CheckRange(long offset, long length)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (offset < 0 || length < 0 || offset > Length - length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"Range [{offset}, {offset} + {length}) is outside the mapped file of {Length} bytes.");
        }
    }
}
