namespace ZImageSharp.Tensors;

/// <summary>
/// A backend whose kernels read host memory directly, so a tensor can live in memory it did not allocate
/// (e.g. a memory-mapped checkpoint) without a copy.
/// </summary>
public interface IHostMemoryBackend : IBackend
{
    /// <summary>Wraps <paramref name="byteLength"/> bytes at <paramref name="address"/> as a storage.</summary>
    /// <param name="address">Start of the memory; it must stay valid until <paramref name="owner"/> is disposed.</param>
    /// <param name="byteLength">Length in bytes.</param>
    /// <param name="owner">Disposed when the storage is released (e.g. a lease on the file mapping); may be null.</param>
    /// <param name="isReadOnly">True when the memory must never be written.</param>
    Storage WrapHostMemory(nint address, long byteLength, IDisposable? owner, bool isReadOnly);
}
