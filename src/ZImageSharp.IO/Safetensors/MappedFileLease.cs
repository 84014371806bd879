using System.Runtime.InteropServices;

namespace ZImageSharp.IO.Safetensors;

/// <summary>
/// One reference on a mapped view's handle: while it is held the view stays mapped. Given to a tensor's storage as its
/// owner, so a tensor that wraps checkpoint memory stays valid after the checkpoint is disposed.
/// </summary>
internal sealed class MappedFileLease : IDisposable
{
    private readonly SafeHandle _handle;
    private int _released = 1; // "released" until the reference is taken, so a failed constructor's finalizer does nothing

    /// <summary>Takes a reference; throws <see cref="ObjectDisposedException"/> when the view is already unmapped.</summary>
    public MappedFileLease(SafeHandle handle)
    {
        _handle = handle;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
        }
        finally
        {
            if (added)
            {
                _released = 0;
            }
            else
            {
                GC.SuppressFinalize(this);
            }
        }
    }

    // Safety net for a leaked tensor: by the time this runs, nothing that could read the memory is reachable.
    ~MappedFileLease() => Release();

    /// <summary>Drops the reference (once).</summary>
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _handle.DangerousRelease();
        }
    }
}
