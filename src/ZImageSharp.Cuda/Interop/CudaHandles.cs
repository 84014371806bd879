using System.Runtime.InteropServices;

namespace ZImageSharp.Cuda.Interop;

/// <summary>
/// Base of the owned driver and cuBLASLt objects: releasing one needs its context current on the releasing thread
/// (a finalizer thread included), so each handle remembers its context and makes it current first.
/// </summary>
internal abstract class ContextBoundHandle : SafeHandle
{
    /// <summary>Wraps <paramref name="handle"/>, created in <paramref name="context"/>.</summary>
    protected ContextBoundHandle(nint handle, nint context)
        : base(0, ownsHandle: true)
    {
        SetHandle(handle);
        Context = context;
    }

    /// <summary>The owning context.</summary>
    protected nint Context { get; }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <inheritdoc/>
    protected sealed override bool ReleaseHandle()
    {
        // Release must not throw; a failed destroy at shutdown leaks at worst what the driver frees with the context.
        return CudaDriver.CtxSetCurrent(Context) == 0 && Destroy(handle) == 0;
    }

    /// <summary>The library's destroy call; returns its result code.</summary>
    protected abstract int Destroy(nint value);
}

/// <summary>A <c>CUstream</c>.</summary>
internal sealed class CudaStreamHandle(nint stream, nint context) : ContextBoundHandle(stream, context)
{
    /// <inheritdoc/>
    protected override int Destroy(nint value) => CudaDriver.StreamDestroy(value);
}

/// <summary>A <c>CUevent</c>.</summary>
internal sealed class CudaEventHandle(nint cudaEvent, nint context) : ContextBoundHandle(cudaEvent, context)
{
    /// <inheritdoc/>
    protected override int Destroy(nint value) => CudaDriver.EventDestroy(value);
}

/// <summary>A loaded <c>CUmodule</c>; its functions stay valid while it lives.</summary>
internal sealed class CudaModuleHandle(nint module, nint context) : ContextBoundHandle(module, context)
{
    /// <inheritdoc/>
    protected override int Destroy(nint value) => CudaDriver.ModuleUnload(value);
}

/// <summary>A <c>cublasLtHandle_t</c>.</summary>
internal sealed class CublasLtHandle(nint lt, nint context) : ContextBoundHandle(lt, context)
{
    /// <inheritdoc/>
    protected override int Destroy(nint value) => CublasLt.Destroy(value);
}

/// <summary>A <c>cublasLtMatmulDesc_t</c>.</summary>
internal sealed class MatmulDescHandle(nint desc, nint context) : ContextBoundHandle(desc, context)
{
    /// <inheritdoc/>
    protected override int Destroy(nint value) => CublasLt.MatmulDescDestroy(value);
}

/// <summary>A <c>cublasLtMatrixLayout_t</c>.</summary>
internal sealed class MatrixLayoutHandle(nint layout, nint context) : ContextBoundHandle(layout, context)
{
    /// <inheritdoc/>
    protected override int Destroy(nint value) => CublasLt.MatrixLayoutDestroy(value);
}
