namespace ZImageSharp.Tensors;

/// <summary>
/// A block of memory owned by a backend (host memory, a mapped file, device memory). Tensors and their views share
/// one storage through a reference count; the memory goes back to the backend when the last tensor is disposed.
/// </summary>
/// <remarks>Backends subclass this and are the only code that interprets the memory.</remarks>
public abstract class Storage
{
    private int _refCount = 1;

    /// <summary>Creates a storage with one reference (held by the tensor that allocated it).</summary>
    protected Storage(IBackend backend, long byteLength, bool isReadOnly)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentOutOfRangeException.ThrowIfNegative(byteLength);
        Backend = backend;
        ByteLength = byteLength;
        IsReadOnly = isReadOnly;
    }

    /// <summary>The backend that owns the memory.</summary>
    public IBackend Backend { get; }

    /// <summary>Size in bytes.</summary>
    public long ByteLength { get; }

    /// <summary>True for memory that must not be written (e.g. weights mapped straight from a checkpoint file).</summary>
    public bool IsReadOnly { get; }

    /// <summary>True once the last reference is gone and the memory was released.</summary>
    public bool IsReleased => Volatile.Read(ref _refCount) <= 0;

    /// <summary>Adds a reference (a new view).</summary>
    /// <exception cref="ObjectDisposedException">When the storage was already released.</exception>
    internal void AddRef()
    {
        while (true)
        {
            int current = Volatile.Read(ref _refCount);
            if (current <= 0)
            {
                throw new ObjectDisposedException(GetType().Name, "The tensor's memory was already released.");
            }

            if (Interlocked.CompareExchange(ref _refCount, current + 1, current) == current)
            {
                return;
            }
        }
    }

    /// <summary>Drops a reference; the last one releases the memory.</summary>
    internal void Release()
    {
        if (Interlocked.Decrement(ref _refCount) == 0)
        {
            ReleaseCore();
        }
    }

    /// <summary>Returns the memory to the backend. Called exactly once.</summary>
    protected abstract void ReleaseCore();
}
