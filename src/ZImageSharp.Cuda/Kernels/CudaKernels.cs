using ZImageSharp.Cuda.Runtime;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Kernels;

/// <summary>The op set on the GPU: each method launches embedded CUDA C kernels through the host (<see cref="ICudaKernelHost"/>).</summary>
internal sealed partial class CudaKernels : IKernels
{
    private readonly ICudaKernelHost _host;

    /// <summary>Creates the op set for one backend.</summary>
    public CudaKernels(ICudaKernelHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host;
    }

    /// <summary>Whether an op is implemented on the GPU for a dtype (the backend's <see cref="IBackend.Supports"/>).</summary>
    /// <remarks>Every op is implemented: data movement for every dtype, math for the float dtypes (MatMul through the
    /// host's GEMM).</remarks>
    public static bool Supports(OpKind op, DType dtype) =>
        op is OpKind.Copy or OpKind.Fill or OpKind.IndexSelect or OpKind.UpsampleNearest || dtype.IsFloatingPoint();

    /// <summary>The size of each parameter of the launch being made (or last made), for the ABI test, which compares
    /// it with the kernel's PTX parameter list; the packed <see cref="KernelArguments"/> do not keep the sizes.</summary>
    internal IReadOnlyList<int> LastParameterSizes { get; private set; } = [];

    /// <inheritdoc/>
    public void MatMul(TensorRef a, TensorRef b, TensorRef? bias, TensorRef destination) => _host.MatMul(a, b, bias, destination);

    /// <summary>Launches a kernel of a module with the parameters of <paramref name="call"/> (then disposes them; the
    /// driver copies parameter values at launch).</summary>
    private void Launch(string module, string function, (Dim3 Grid, Dim3 Block) shape, KernelCall call, int sharedMemoryBytes = 0)
    {
        using (call)
        {
            LastParameterSizes = call.ParameterSizes;
            _host.Launch(module, function, shape.Grid, shape.Block, sharedMemoryBytes, call.Arguments);
        }
    }
}
