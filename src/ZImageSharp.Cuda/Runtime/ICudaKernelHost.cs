using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Runtime;

/// <summary>
/// What the kernels (<c>CudaKernels</c>) need from the runtime: device addresses, launches of the embedded CUDA C
/// kernels, scratch memory, the GEMM, and facts about the device. The runtime (<see cref="CudaBackend"/>) implements it;
/// the split keeps the op code free of driver calls.
/// </summary>
/// <remarks>All work goes to the backend's one stream, in order; nothing here synchronises with the host.</remarks>
internal interface ICudaKernelHost
{
    /// <summary>The backend that owns the tensors the kernels receive (scratch is allocated from it).</summary>
    IBackend Backend { get; }

    /// <summary>Compute capability as major·10 + minor (80 for A100, 90 for H100/H200).</summary>
    int ComputeCapability { get; }

    /// <summary>Number of streaming multiprocessors (to size persistent grids).</summary>
    int MultiprocessorCount { get; }

    /// <summary>The most dynamic shared memory one block may use, in bytes (after opting in).</summary>
    int MaxSharedMemoryPerBlock { get; }

    /// <summary>The device address of the tensor's first element (storage base + layout offset × element size).</summary>
    ulong Address(TensorRef tensor);

    /// <summary>Launches <paramref name="function"/> (an <c>extern "C" __global__</c> name) of the embedded source
    /// <paramref name="module"/> (a file name under <c>Kernels/Source</c>, e.g. <c>elementwise.cu</c>), compiling and
    /// caching the module at first use. A launch error throws a <see cref="CudaException"/> naming the kernel.</summary>
    void Launch(string module, string function, Dim3 grid, Dim3 block, int sharedMemoryBytes, KernelArguments arguments);

    /// <summary>destination[b] = a[b] · b[b] (+ bias), the <see cref="IKernels.MatMul"/> contract, through cuBLASLt
    /// (f32 accumulation, no TF32) or the runtime's fallback for operand layouts or dtype mixes cuBLASLt lacks.</summary>
    void MatMul(TensorRef a, TensorRef b, TensorRef? bias, TensorRef destination);
}
