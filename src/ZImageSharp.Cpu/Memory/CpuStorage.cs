using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

/// <summary>Host memory for CPU tensors: either an owned aligned allocation or memory wrapped from elsewhere (a mapped file).</summary>
/// <remarks>Invariant: <see cref="Pointer"/> addresses <see cref="Storage.ByteLength"/> readable bytes (writable unless
/// <see cref="Storage.IsReadOnly"/>) from construction until <see cref="ReleaseCore"/> runs.</remarks>
internal sealed unsafe class CpuStorage : Storage
{
    private readonly NativeMemoryHandle? _owned;
    private readonly IDisposable? _externalOwner;
    private readonly bool _ownedRefAdded;

    /// <summary>A fresh allocation.</summary>
    public CpuStorage(CpuBackend backend, long byteLength)
        : base(backend, byteLength, isReadOnly: false)
    {
        _owned = NativeMemoryHandle.Allocate(byteLength);
        bool added = false;
        _owned.DangerousAddRef(ref added);
        _ownedRefAdded = added;
        Pointer = (byte*)_owned.DangerousGetHandle();
    }

    /// <summary>Wraps memory owned by someone else; <paramref name="owner"/> is disposed when this storage is released.</summary>
    public CpuStorage(CpuBackend backend, nint address, long byteLength, IDisposable? owner, bool isReadOnly)
        : base(backend, byteLength, isReadOnly)
    {
        if (address == 0 && byteLength > 0)
        {
            throw new ArgumentException("A null address cannot hold data.", nameof(address));
        }

        _externalOwner = owner;
        Pointer = (byte*)address;
    }

    /// <summary>Start of the memory.</summary>
    public byte* Pointer { get; }

    /// <inheritdoc/>
    protected override void ReleaseCore()
    {
        if (_owned is not null)
        {
            if (_ownedRefAdded)
            {
                _owned.DangerousRelease();
            }

            _owned.Dispose();
        }

        _externalOwner?.Dispose();
    }
}
