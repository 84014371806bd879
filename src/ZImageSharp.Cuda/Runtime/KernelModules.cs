using System.Text;
using ZImageSharp.Cuda.Compilation;
using ZImageSharp.Cuda.Interop;

namespace ZImageSharp.Cuda.Runtime;

/// <summary>
/// The embedded modules loaded into the context at first use (compiled for the GPU present through the disk cache)
/// and their functions, looked up once.
/// </summary>
internal sealed unsafe class KernelModules : IDisposable
{
    private readonly CudaContext _context;
    private readonly KernelCache _cache;
    private readonly int _computeCapability;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CudaModuleHandle> _modules = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Module, string Function), nint> _functions = [];
    private readonly Dictionary<nint, int> _sharedOptIn = [];

    /// <summary>Loads modules into <paramref name="context"/> from <paramref name="cache"/>.</summary>
    public KernelModules(CudaContext context, KernelCache cache)
    {
        _context = context;
        _cache = cache;
        _computeCapability = (context.Info.ComputeCapabilityMajor * 10) + context.Info.ComputeCapabilityMinor;
    }

    /// <summary>The <c>CUfunction</c> for <paramref name="function"/> in <paramref name="module"/>, with at least
    /// <paramref name="sharedMemoryBytes"/> of dynamic shared memory allowed.</summary>
    public nint Function(string module, string function, int sharedMemoryBytes)
    {
        lock (_gate)
        {
            if (!_functions.TryGetValue((module, function), out nint handle))
            {
                CudaModuleHandle loaded = Module(module);
                byte[] name = Encoding.ASCII.GetBytes(function + "\0");
                fixed (byte* p = name)
                {
                    CudaDriver.Check(CudaDriver.ModuleGetFunction(out handle, loaded.DangerousGetHandle(), p), "cuModuleGetFunction", $"{function} in {module}");
                }

                _functions[(module, function)] = handle;
            }

            // Above 48 KiB a kernel must opt in to dynamic shared memory, per function.
            if (sharedMemoryBytes > 48 * 1024 && _sharedOptIn.GetValueOrDefault(handle) < sharedMemoryBytes)
            {
                CudaDriver.Check(
                    CudaDriver.FuncSetAttribute(handle, CudaDriver.FunctionAttributeMaxDynamicSharedSize, sharedMemoryBytes),
                    "cuFuncSetAttribute", $"{function}: {sharedMemoryBytes} bytes of shared memory");
                _sharedOptIn[handle] = sharedMemoryBytes;
            }

            return handle;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (CudaModuleHandle module in _modules.Values)
            {
                module.Dispose();
            }

            _modules.Clear();
            _functions.Clear();
        }
    }

    private CudaModuleHandle Module(string module)
    {
        if (_modules.TryGetValue(module, out CudaModuleHandle? loaded))
        {
            return loaded;
        }

        KernelImage image = _cache.Get(module, _computeCapability, KernelImageKind.Cubin);
        _context.MakeCurrent();
        fixed (byte* p = image.Image)
        {
            CudaDriver.Check(CudaDriver.ModuleLoadData(out nint handle, p), "cuModuleLoadData", $"{module} for sm_{_computeCapability}");
            loaded = new CudaModuleHandle(handle, _context.Handle);
        }

        _modules[module] = loaded;
        return loaded;
    }
}
