using ZImageSharp.Cuda.Compilation;
using ZImageSharp.Cuda.Discovery;
using ZImageSharp.Cuda.Gemm;
using ZImageSharp.Cuda.Interop;
using ZImageSharp.Cuda.Kernels;
using ZImageSharp.Cuda.Memory;
using ZImageSharp.Cuda.Runtime;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda;

/// <summary>
/// The CUDA backend: tensors in device memory from a caching allocator, kernels launched on one stream of the
/// device's primary context, GEMMs through cuBLASLt. Created with <see cref="Create"/>; CUDA libraries are loaded only
/// then, so a CPU-only process never touches them.
/// </summary>
/// <remarks>One caller at a time: kernels are queued on a single stream, so ops from two threads would interleave.
/// The pipeline and the server drive a backend from one thread at a time.</remarks>
public sealed unsafe partial class CudaBackend : IPooledMemoryBackend, ICudaKernelHost, IDisposable
{
    private readonly CudaContext _context;
    private readonly CudaStreamHandle _stream;
    private readonly CachingDeviceAllocator _allocator;
    private readonly KernelModules _modules;
    private readonly CublasLtGemm _gemm;
    private readonly (ulong Pointer, long Size) _gemmWorkspace;
    private readonly CudaKernels _kernels;
    private readonly CudaMatMul _matmul;
    private bool _disposed;

    private CudaBackend(CudaContext context, CudaStreamHandle stream, NvrtcCompiler compiler)
    {
        _context = context;
        _stream = stream;
        Name = $"cuda:{context.Info.Index}";
        _allocator = new CachingDeviceAllocator(new DriverDeviceAllocator(context), Name);
        var cache = new KernelCache(null, compiler.Version, context.Info.DriverVersion, compiler.Compile);
        _modules = new KernelModules(context, cache);
        _gemmWorkspace = _allocator.Allocate(CublasLtGemm.WorkspaceBytes);
        _gemm = new CublasLtGemm(context, _gemmWorkspace.Pointer);
        _kernels = new CudaKernels(this);
        _matmul = new CudaMatMul(this, _kernels, _gemm, stream.DangerousGetHandle());
        Compiler = compiler;
    }

    /// <summary>Opens GPU <paramref name="deviceIndex"/>: loads the driver, NVRTC and cuBLASLt, retains the primary context.</summary>
    /// <exception cref="CudaUnavailableException">No usable CUDA driver, GPU, NVRTC or cuBLASLt; the message says what is
    /// missing and where it was looked for.</exception>
    public static CudaBackend Create(int deviceIndex = 0)
    {
        CudaContext? context = null;
        CudaStreamHandle? stream = null;
        try
        {
            CudaNativeLibraries.Load(CudaLibrary.Driver);
            context = CudaContext.Open(deviceIndex);
            NvrtcCompiler compiler = NvrtcCompiler.Load();
            CudaNativeLibraries.Load(CudaLibrary.CublasLt);
            CudaDriver.Check(CudaDriver.StreamCreate(out nint streamHandle, 0), "cuStreamCreate");
            stream = new CudaStreamHandle(streamHandle, context.Handle);
            return new CudaBackend(context, stream, compiler);
        }
        catch (Exception e) when (e is CudaException or DllNotFoundException or EntryPointNotFoundException or DeviceOutOfMemoryException)
        {
            stream?.Dispose();
            context?.Dispose();
            throw new CudaUnavailableException($"CUDA unavailable: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        catch
        {
            stream?.Dispose();
            context?.Dispose();
            throw;
        }
    }

    /// <summary>Facts about the GPU.</summary>
    public CudaDeviceInfo Device => _context.Info;

    /// <summary>Where each CUDA library was loaded from, and the NVRTC and cuBLASLt versions (for the selftest report).</summary>
    public string LibrarySummary =>
        $"driver {Device.DriverVersion} ({CudaNativeLibraries.PathOf(CudaLibrary.Driver)}), NVRTC {Compiler.Version} ({CudaNativeLibraries.PathOf(CudaLibrary.Nvrtc)}), " +
        $"cuBLASLt {_gemm.Version} ({CudaNativeLibraries.PathOf(CudaLibrary.CublasLt)})";

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public IKernels Kernels => _kernels;

    /// <inheritdoc/>
    public MemoryStatistics Memory => _allocator.Statistics;

    internal NvrtcCompiler Compiler { get; }

    /// <inheritdoc/>
    public bool Supports(OpKind op, DType dtype) => CudaKernels.Supports(op, dtype);

    /// <inheritdoc/>
    public Storage Allocate(long byteLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        (ulong pointer, long capacity) = _allocator.Allocate(byteLength);
        return new CudaStorage(this, _allocator, pointer, byteLength, capacity);
    }

    /// <inheritdoc/>
    /// <remarks>Waits for the copy, so <paramref name="source"/> may be reused (or unmapped) as soon as this returns.</remarks>
    public void Upload(ReadOnlySpan<byte> source, Storage destination, long byteOffset)
    {
        ulong target = Pointer(destination, byteOffset, source.Length, "Upload");
        if (source.IsEmpty)
        {
            return;
        }

        _context.MakeCurrent();
        fixed (byte* p = source)
        {
            CudaDriver.Check(CudaDriver.MemcpyHtoDAsync(target, p, (nuint)source.Length, StreamHandle), "cuMemcpyHtoDAsync_v2", $"{source.Length} bytes");
            CudaDriver.Check(CudaDriver.StreamSynchronize(StreamHandle), "cuStreamSynchronize", "after an upload");
        }
    }

    /// <inheritdoc/>
    public void Download(Storage source, long byteOffset, Span<byte> destination)
    {
        ulong from = Pointer(source, byteOffset, destination.Length, "Download");
        if (destination.IsEmpty)
        {
            return;
        }

        _context.MakeCurrent();
        fixed (byte* p = destination)
        {
            CudaDriver.Check(CudaDriver.MemcpyDtoHAsync(p, from, (nuint)destination.Length, StreamHandle), "cuMemcpyDtoHAsync_v2", $"{destination.Length} bytes");
            CudaDriver.Check(CudaDriver.StreamSynchronize(StreamHandle), "cuStreamSynchronize", "after a download (an earlier kernel may have failed)");
        }
    }

    /// <inheritdoc/>
    public void Synchronize()
    {
        _context.MakeCurrent();
        CudaDriver.Check(CudaDriver.StreamSynchronize(StreamHandle), "cuStreamSynchronize", "an earlier kernel or copy may have failed");
    }

    /// <inheritdoc/>
    public void ReleaseCachedMemory() => _allocator.ReleaseCached();

    /// <inheritdoc/>
    public void ResetPeak() => _allocator.ResetPeak();

    /// <summary>Free and total device memory as the driver reports them now.</summary>
    public (long Free, long Total) DeviceMemory()
    {
        _context.MakeCurrent();
        CudaDriver.Check(CudaDriver.MemGetInfo(out nuint free, out nuint total), "cuMemGetInfo_v2");
        return ((long)free, (long)total);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _context.MakeCurrent();
        _ = CudaDriver.StreamSynchronize(StreamHandle);
        _gemm.Dispose();
        _allocator.Free(_gemmWorkspace.Pointer, _gemmWorkspace.Size);
        _modules.Dispose();
        _allocator.Dispose();
        _stream.Dispose();
        _context.Dispose();
    }

    /// <summary>The stream every kernel, copy and GEMM of this backend is queued on.</summary>
    internal nint Stream => _stream.DangerousGetHandle();

    private nint StreamHandle => Stream;

    private ulong Pointer(Storage storage, long byteOffset, long length, string call)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (storage is not CudaStorage cuda || !ReferenceEquals(storage.Backend, this))
        {
            throw new ArgumentException($"{call}: the storage belongs to {storage.Backend.Name}, not {Name}.", nameof(storage));
        }

        if (byteOffset < 0 || byteOffset + length > storage.ByteLength)
        {
            throw new ArgumentOutOfRangeException(nameof(byteOffset), $"{call}: bytes [{byteOffset}, {byteOffset + length}) lie outside the storage's {storage.ByteLength}.");
        }

        return cuda.Pointer + (ulong)byteOffset;
    }
}
