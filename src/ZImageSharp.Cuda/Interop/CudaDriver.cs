using System.Runtime.InteropServices;

namespace ZImageSharp.Cuda.Interop;

/// <summary>The CUDA driver API calls the backend makes (<c>libcuda.so.1</c>). Results are <c>CUresult</c> codes
/// (0 = success); <see cref="Check"/> turns a failure into a <see cref="CudaException"/> naming the call.</summary>
/// <remarks>Device pointers are <see cref="ulong"/> (<c>CUdeviceptr</c>); contexts, streams, events, modules and
/// functions are opaque <see cref="nint"/> handles owned by the <c>SafeHandle</c>s in this folder.</remarks>
internal static unsafe partial class CudaDriver
{
    /// <summary><c>CUDA_ERROR_OUT_OF_MEMORY</c>.</summary>
    public const int OutOfMemory = 2;

    /// <summary><c>CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT</c>.</summary>
    public const int AttributeMultiprocessorCount = 16;

    /// <summary><c>CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR</c>.</summary>
    public const int AttributeComputeCapabilityMajor = 75;

    /// <summary><c>CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR</c>.</summary>
    public const int AttributeComputeCapabilityMinor = 76;

    /// <summary><c>CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN</c>.</summary>
    public const int AttributeMaxSharedMemoryPerBlockOptin = 97;

    /// <summary><c>CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES</c>.</summary>
    public const int FunctionAttributeMaxDynamicSharedSize = 8;

    /// <summary><c>CU_EVENT_DEFAULT</c>: events that time (no <c>DISABLE_TIMING</c>).</summary>
    public const uint EventDefault = 0;

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuInit")]
    public static partial int Init(uint flags);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuDriverGetVersion")]
    public static partial int DriverGetVersion(out int version);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuGetErrorName")]
    public static partial int GetErrorName(int result, out nint name);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuGetErrorString")]
    public static partial int GetErrorString(int result, out nint text);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuDeviceGetCount")]
    public static partial int DeviceGetCount(out int count);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuDeviceGet")]
    public static partial int DeviceGet(out int device, int ordinal);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuDeviceGetName")]
    public static partial int DeviceGetName(byte* name, int length, int device);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuDeviceGetAttribute")]
    public static partial int DeviceGetAttribute(out int value, int attribute, int device);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuDeviceTotalMem_v2")]
    public static partial int DeviceTotalMem(out nuint bytes, int device);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuDevicePrimaryCtxRetain")]
    public static partial int DevicePrimaryCtxRetain(out nint context, int device);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuDevicePrimaryCtxRelease_v2")]
    public static partial int DevicePrimaryCtxRelease(int device);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuCtxSetCurrent")]
    public static partial int CtxSetCurrent(nint context);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuMemGetInfo_v2")]
    public static partial int MemGetInfo(out nuint free, out nuint total);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuMemAlloc_v2")]
    public static partial int MemAlloc(out ulong pointer, nuint bytes);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuMemFree_v2")]
    public static partial int MemFree(ulong pointer);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuMemcpyHtoDAsync_v2")]
    public static partial int MemcpyHtoDAsync(ulong destination, void* source, nuint bytes, nint stream);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuMemcpyDtoHAsync_v2")]
    public static partial int MemcpyDtoHAsync(void* destination, ulong source, nuint bytes, nint stream);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuMemcpyDtoDAsync_v2")]
    public static partial int MemcpyDtoDAsync(ulong destination, ulong source, nuint bytes, nint stream);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuMemsetD8Async")]
    public static partial int MemsetD8Async(ulong destination, byte value, nuint count, nint stream);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuStreamCreate")]
    public static partial int StreamCreate(out nint stream, uint flags);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuStreamDestroy_v2")]
    public static partial int StreamDestroy(nint stream);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuStreamSynchronize")]
    public static partial int StreamSynchronize(nint stream);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuEventCreate")]
    public static partial int EventCreate(out nint cudaEvent, uint flags);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuEventDestroy_v2")]
    public static partial int EventDestroy(nint cudaEvent);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuEventRecord")]
    public static partial int EventRecord(nint cudaEvent, nint stream);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuEventSynchronize")]
    public static partial int EventSynchronize(nint cudaEvent);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuEventElapsedTime")]
    public static partial int EventElapsedTime(out float milliseconds, nint start, nint end);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuModuleLoadData")]
    public static partial int ModuleLoadData(out nint module, void* image);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuModuleUnload")]
    public static partial int ModuleUnload(nint module);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuModuleGetFunction")]
    public static partial int ModuleGetFunction(out nint function, nint module, byte* name);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuFuncSetAttribute")]
    public static partial int FuncSetAttribute(nint function, int attribute, int value);

    [LibraryImport(CudaNativeLibraries.DriverName, EntryPoint = "cuLaunchKernel")]
    public static partial int LaunchKernel(
        nint function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ,
        uint sharedMemoryBytes, nint stream, nint kernelParams, nint extra);

    /// <summary>Throws when <paramref name="result"/> is not <c>CUDA_SUCCESS</c>.</summary>
    public static void Check(int result, string call, string? detail = null)
    {
        if (result != 0)
        {
            throw new CudaException(call, result, ErrorName(result), detail);
        }
    }

    /// <summary>The driver's name and description for a result, e.g. <c>CUDA_ERROR_ILLEGAL_ADDRESS (an illegal memory access ...)</c>.</summary>
    public static string ErrorName(int result)
    {
        string name = GetErrorName(result, out nint namePtr) == 0 && namePtr != 0 ? Marshal.PtrToStringUTF8(namePtr) ?? "" : $"CUresult {result}";
        string text = GetErrorString(result, out nint textPtr) == 0 && textPtr != 0 ? Marshal.PtrToStringUTF8(textPtr) ?? "" : "";
        return text.Length > 0 ? $"{name} ({text})" : name;
    }
}
