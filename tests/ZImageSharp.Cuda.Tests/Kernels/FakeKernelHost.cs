using ZImageSharp.Cuda.Kernels;
using ZImageSharp.Cuda.Runtime;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Tests.Kernels;

/// <summary>One recorded launch: what the kernels asked the host for, with each parameter's size and bytes.</summary>
internal sealed record RecordedLaunch(string Module, string Function, Dim3 Grid, Dim3 Block, int SharedMemoryBytes, int Count, IReadOnlyList<int> Sizes, IReadOnlyList<byte[]> Values)
{
    /// <summary>Parameter <paramref name="index"/> read back as a value of type <typeparamref name="T"/>.</summary>
    public T Value<T>(int index)
        where T : unmanaged
    {
        Assert.Equal(System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), Values[index].Length);
        return System.Runtime.InteropServices.MemoryMarshal.Read<T>(Values[index]);
    }
}

/// <summary>
/// A kernel host without a GPU: storages get fake device addresses (distinct, 256-byte aligned, far apart), launches
/// are recorded with their parameter bytes instead of run. The device looks like an H100 (sm_90, 132 SMs, 227 KiB
/// of opt-in shared memory) unless told otherwise.
/// </summary>
internal sealed unsafe class FakeKernelHost : ICudaKernelHost
{
    private readonly FakeBackend _backend;

    public FakeKernelHost(int maxSharedMemory = 227 * 1024)
    {
        _backend = new FakeBackend();
        MaxSharedMemoryPerBlock = maxSharedMemory;
        Kernels = new CudaKernels(this);
    }

    public CudaKernels Kernels { get; }

    public List<RecordedLaunch> Launches { get; } = [];

    public int MatMulCalls { get; private set; }

    public IBackend Backend => _backend;

    public int ComputeCapability => 90;

    public int MultiprocessorCount => 132;

    public int MaxSharedMemoryPerBlock { get; }

    public ulong Address(TensorRef tensor) =>
        ((FakeStorage)tensor.Storage).Address + (ulong)(tensor.Layout.Offset * tensor.DType.ElementSize());

    public void Launch(string module, string function, Dim3 grid, Dim3 block, int sharedMemoryBytes, KernelArguments arguments)
    {
        IReadOnlyList<int> sizes = [.. Kernels.LastParameterSizes];
        Assert.Equal(arguments.Count, sizes.Count);
        var values = new List<byte[]>(sizes.Count);
        void** pointers = (void**)arguments.ParameterPointers;
        for (int i = 0; i < sizes.Count; i++)
        {
            values.Add(new ReadOnlySpan<byte>(pointers[i], sizes[i]).ToArray());
        }

        Launches.Add(new RecordedLaunch(module, function, grid, block, sharedMemoryBytes, arguments.Count, sizes, values));
    }

    public void MatMul(TensorRef a, TensorRef b, TensorRef? bias, TensorRef destination) => MatMulCalls++;

    /// <summary>A view over a fresh fake storage just large enough for it.</summary>
    public TensorRef Tensor(DType dtype, int[] shape, long[]? strides = null, long offset = 0)
    {
        var s = new Shape(shape);
        Layout layout = strides is null ? new Layout(s, offset) : new Layout(s, strides, offset);
        Storage storage = _backend.Allocate(Math.Max(1, layout.End) * dtype.ElementSize());
        return new TensorRef(storage, layout, dtype);
    }

    private sealed class FakeBackend : IBackend
    {
        private ulong _next = 0x7F00_0000_0000;

        public string Name => "fake-cuda";

        public IKernels Kernels => throw new NotSupportedException("The fake backend only hands out storage.");

        public bool Supports(OpKind op, DType dtype) => CudaKernels.Supports(op, dtype);

        public Storage Allocate(long byteLength)
        {
            ulong address = _next;
            _next += ((ulong)byteLength + 0xFFFF) & ~0xFFFFUL;
            return new FakeStorage(this, byteLength, address);
        }

        public void Upload(ReadOnlySpan<byte> source, Storage destination, long byteOffset) => throw new NotSupportedException();

        public void Download(Storage source, long byteOffset, Span<byte> destination) => throw new NotSupportedException();

        public void Synchronize()
        {
        }
    }

    private sealed class FakeStorage(IBackend backend, long byteLength, ulong address) : Storage(backend, byteLength, isReadOnly: false)
    {
        public ulong Address { get; } = address;

        protected override void ReleaseCore()
        {
        }
    }
}
