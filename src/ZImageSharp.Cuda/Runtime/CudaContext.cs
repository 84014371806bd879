using System.Text;
using ZImageSharp.Cuda.Interop;

namespace ZImageSharp.Cuda.Runtime;

/// <summary>
/// The device's primary context (the one the CUDA runtime and PyTorch share), retained for the backend's lifetime,
/// and the facts read from the device. Driver calls need the context current on the calling thread:
/// <see cref="MakeCurrent"/> does that once per thread.
/// </summary>
internal sealed unsafe class CudaContext : IDisposable
{
    [ThreadStatic]
    private static nint t_current;

    private bool _disposed;

    private CudaContext(int device, nint handle, CudaDeviceInfo info, int maxSharedOptIn)
    {
        Device = device;
        Handle = handle;
        Info = info;
        MaxSharedMemoryPerBlock = maxSharedOptIn;
    }

    /// <summary>The device ordinal.</summary>
    public int Device { get; }

    /// <summary>The <c>CUcontext</c>.</summary>
    public nint Handle { get; }

    /// <summary>Facts about the device.</summary>
    public CudaDeviceInfo Info { get; }

    /// <summary>The most dynamic shared memory one block may opt in to.</summary>
    public int MaxSharedMemoryPerBlock { get; }

    /// <summary>Initialises the driver and retains device <paramref name="ordinal"/>'s primary context.</summary>
    /// <exception cref="CudaUnavailableException">No GPU, or the ordinal does not exist.</exception>
    public static CudaContext Open(int ordinal)
    {
        int init = CudaDriver.Init(0);
        if (init != 0)
        {
            // 100 = CUDA_ERROR_NO_DEVICE; others (e.g. 999, 35) mean a driver/kernel-module mismatch or a broken install.
            throw new CudaUnavailableException($"CUDA unavailable: the driver did not initialise ({CudaDriver.ErrorName(init)}).");
        }

        CudaDriver.Check(CudaDriver.DeviceGetCount(out int count), "cuDeviceGetCount");
        if (count == 0)
        {
            throw new CudaUnavailableException("CUDA unavailable: the driver sees no NVIDIA GPU.");
        }

        if (ordinal < 0 || ordinal >= count)
        {
            throw new CudaUnavailableException($"CUDA unavailable: GPU {ordinal} does not exist (this machine has {count}, numbered 0 to {count - 1}).");
        }

        CudaDriver.Check(CudaDriver.DeviceGet(out int device, ordinal), "cuDeviceGet");
        byte* name = stackalloc byte[256];
        CudaDriver.Check(CudaDriver.DeviceGetName(name, 256, device), "cuDeviceGetName");
        string deviceName = Encoding.UTF8.GetString(name, new ReadOnlySpan<byte>(name, 256).IndexOf((byte)0));
        int major = Attribute(device, CudaDriver.AttributeComputeCapabilityMajor);
        int minor = Attribute(device, CudaDriver.AttributeComputeCapabilityMinor);
        int sms = Attribute(device, CudaDriver.AttributeMultiprocessorCount);
        int shared = Attribute(device, CudaDriver.AttributeMaxSharedMemoryPerBlockOptin);
        CudaDriver.Check(CudaDriver.DeviceTotalMem(out nuint total, device), "cuDeviceTotalMem_v2");
        CudaDriver.Check(CudaDriver.DriverGetVersion(out int driver), "cuDriverGetVersion");
        if (major < 7)
        {
            throw new CudaUnavailableException($"CUDA unavailable: {deviceName} has compute capability {major}.{minor}; ZImageSharp needs 7.0 or newer (bf16 math needs 8.0 for full speed).");
        }

        CudaDriver.Check(CudaDriver.DevicePrimaryCtxRetain(out nint context, device), "cuDevicePrimaryCtxRetain");
        var info = new CudaDeviceInfo(ordinal, deviceName, major, minor, (long)total, sms, $"{driver / 1000}.{driver % 1000 / 10}");
        var opened = new CudaContext(device, context, info, shared);
        opened.MakeCurrent();
        return opened;
    }

    /// <summary>Makes the context current on this thread (a no-op when it already is).</summary>
    public void MakeCurrent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (t_current != Handle)
        {
            CudaDriver.Check(CudaDriver.CtxSetCurrent(Handle), "cuCtxSetCurrent");
            t_current = Handle;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            t_current = 0;
            // Disposal must not throw; a failed release only keeps the context alive until the process ends.
            _ = CudaDriver.DevicePrimaryCtxRelease(Device);
        }
    }

    private static int Attribute(int device, int attribute)
    {
        CudaDriver.Check(CudaDriver.DeviceGetAttribute(out int value, attribute, device), "cuDeviceGetAttribute", $"attribute {attribute}");
        return value;
    }
}
