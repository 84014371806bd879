using ZImageSharp.Cuda.Interop;
using ZImageSharp.Cuda.Memory;
using ZImageSharp.Cuda.Runtime;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda;

/// <summary>The backend as the kernels see it (<see cref="ICudaKernelHost"/>): addresses, launches, the GEMM.</summary>
public sealed partial class CudaBackend
{
    IBackend ICudaKernelHost.Backend => this;

    int ICudaKernelHost.ComputeCapability => (Device.ComputeCapabilityMajor * 10) + Device.ComputeCapabilityMinor;

    int ICudaKernelHost.MultiprocessorCount => Device.MultiprocessorCount;

    int ICudaKernelHost.MaxSharedMemoryPerBlock => _context.MaxSharedMemoryPerBlock;

    ulong ICudaKernelHost.Address(TensorRef tensor)
    {
        if (tensor.Storage is not CudaStorage storage || !ReferenceEquals(storage.Backend, this))
        {
            throw new ArgumentException($"A kernel on {Name} received a tensor on {tensor.Storage.Backend.Name}.", nameof(tensor));
        }

        return storage.Pointer + (ulong)(tensor.Layout.Offset * tensor.DType.ElementSize());
    }

    void ICudaKernelHost.Launch(string module, string function, Dim3 grid, Dim3 block, int sharedMemoryBytes, KernelArguments arguments)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (grid.X == 0 || grid.Y == 0 || grid.Z == 0 || block.X * block.Y * block.Z is 0 or > 1024)
        {
            throw new ArgumentException($"{function}: invalid launch grid {grid} block {block}.", nameof(grid));
        }

        _context.MakeCurrent();
        nint handle = _modules.Function(module, function, sharedMemoryBytes);
        int result = CudaDriver.LaunchKernel(
            handle, grid.X, grid.Y, grid.Z, block.X, block.Y, block.Z, (uint)sharedMemoryBytes, _stream.DangerousGetHandle(), arguments.ParameterPointers, 0);
        CudaDriver.Check(result, function, $"grid {grid}, block {block}, {sharedMemoryBytes} B shared, {module}");
    }

    void ICudaKernelHost.MatMul(TensorRef a, TensorRef b, TensorRef? bias, TensorRef destination) => _matmul.Run(a, b, bias, destination);
}
