using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

/// <summary>
/// The CPU backend: tensors in 64-byte aligned native memory (or wrapped mapped files), kernels with SIMD and all cores.
/// </summary>
public sealed unsafe class CpuBackend : IHostMemoryBackend, IPooledMemoryBackend
{
    private static readonly Lazy<CpuBackend> s_default = new(() => new CpuBackend());

    /// <summary>Creates a backend that uses <paramref name="threads"/> worker threads (all logical cores when null).</summary>
    public CpuBackend(int? threads = null)
    {
        int n = threads ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(threads));
        Parallel = new CpuParallel(n);
        Kernels = new CpuKernels(Parallel);
    }

    /// <summary>A shared instance using all logical cores.</summary>
    public static CpuBackend Default => s_default.Value;

    /// <inheritdoc/>
    public string Name => "cpu";

    /// <summary>Number of worker threads the kernels use.</summary>
    public int Threads => Parallel.Threads;

    /// <inheritdoc/>
    public IKernels Kernels { get; }

    internal CpuParallel Parallel { get; }

    /// <inheritdoc/>
    /// <remarks>Host memory is one pool per process, shared by every CPU backend.</remarks>
    public MemoryStatistics Memory => HostMemoryPool.Shared.Statistics;

    /// <inheritdoc/>
    public void ReleaseCachedMemory() => HostMemoryPool.Shared.ReleaseCached();

    /// <inheritdoc/>
    public void ResetPeak() => HostMemoryPool.Shared.ResetPeak();

    /// <inheritdoc/>
    public bool Supports(OpKind op, DType dtype) => op switch
    {
        OpKind.Copy or OpKind.Fill or OpKind.IndexSelect or OpKind.UpsampleNearest => true,
        _ => dtype.IsFloatingPoint(),
    };

    /// <inheritdoc/>
    public Storage Allocate(long byteLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteLength);
        return new CpuStorage(this, byteLength);
    }

    /// <inheritdoc/>
    public Storage WrapHostMemory(nint address, long byteLength, IDisposable? owner, bool isReadOnly)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteLength);
        return new CpuStorage(this, address, byteLength, owner, isReadOnly);
    }

    /// <inheritdoc/>
    public void Upload(ReadOnlySpan<byte> source, Storage destination, long byteOffset)
    {
        CpuStorage dst = Own(destination);
        CheckRange(dst, byteOffset, source.Length);
        if (dst.IsReadOnly)
        {
            throw new InvalidOperationException("Cannot upload into read-only memory.");
        }

        source.CopyTo(new Span<byte>(dst.Pointer + byteOffset, source.Length));
    }

    /// <inheritdoc/>
    public void Download(Storage source, long byteOffset, Span<byte> destination)
    {
        CpuStorage src = Own(source);
        CheckRange(src, byteOffset, destination.Length);
        new ReadOnlySpan<byte>(src.Pointer + byteOffset, destination.Length).CopyTo(destination);
    }

    /// <inheritdoc/>
    public void Synchronize()
    {
        // CPU kernels complete before they return.
    }

    private CpuStorage Own(Storage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (storage is not CpuStorage cpu || !ReferenceEquals(storage.Backend, this))
        {
            throw new ArgumentException($"The storage belongs to the {storage.Backend.Name} backend, not this CPU backend.", nameof(storage));
        }

        ObjectDisposedException.ThrowIf(cpu.IsReleased, cpu);

        return cpu;
    }

    private static void CheckRange(Storage storage, long byteOffset, long length)
    {
        if (byteOffset < 0 || byteOffset > storage.ByteLength - length)
        {
            throw new ArgumentOutOfRangeException(nameof(byteOffset), $"Range [{byteOffset}, {byteOffset + length}) is outside the storage of {storage.ByteLength} bytes.");
        }
    }
}
