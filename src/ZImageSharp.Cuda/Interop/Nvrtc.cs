using System.Runtime.InteropServices;

namespace ZImageSharp.Cuda.Interop;

/// <summary>NVRTC, the CUDA C runtime compiler: the calls the kernel compiler makes.</summary>
/// <remarks>Results are <c>nvrtcResult</c> codes (0 = success); <see cref="Check"/> turns a failure into a
/// <see cref="CudaException"/> naming the call.</remarks>
internal static unsafe partial class Nvrtc
{
    [LibraryImport(CudaNativeLibraries.NvrtcName, EntryPoint = "nvrtcVersion")]
    public static partial int Version(out int major, out int minor);

    [LibraryImport(CudaNativeLibraries.NvrtcName, EntryPoint = "nvrtcGetErrorString")]
    public static partial nint GetErrorString(int result);

    [LibraryImport(CudaNativeLibraries.NvrtcName, EntryPoint = "nvrtcCreateProgram")]
    public static partial int CreateProgram(out nint program, byte* source, byte* name, int headerCount, byte** headers, byte** includeNames);

    [LibraryImport(CudaNativeLibraries.NvrtcName, EntryPoint = "nvrtcDestroyProgram")]
    public static partial int DestroyProgram(ref nint program);

    [LibraryImport(CudaNativeLibraries.NvrtcName, EntryPoint = "nvrtcCompileProgram")]
    public static partial int CompileProgram(nint program, int optionCount, byte** options);

    [LibraryImport(CudaNativeLibraries.NvrtcName, EntryPoint = "nvrtcGetProgramLogSize")]
    public static partial int GetProgramLogSize(nint program, out nuint size);

    [LibraryImport(CudaNativeLibraries.NvrtcName, EntryPoint = "nvrtcGetProgramLog")]
    public static partial int GetProgramLog(nint program, byte* log);

    [LibraryImport(CudaNativeLibraries.NvrtcName, EntryPoint = "nvrtcGetPTXSize")]
    public static partial int GetPtxSize(nint program, out nuint size);

    [LibraryImport(CudaNativeLibraries.NvrtcName, EntryPoint = "nvrtcGetPTX")]
    public static partial int GetPtx(nint program, byte* ptx);

    [LibraryImport(CudaNativeLibraries.NvrtcName, EntryPoint = "nvrtcGetCUBINSize")]
    public static partial int GetCubinSize(nint program, out nuint size);

    [LibraryImport(CudaNativeLibraries.NvrtcName, EntryPoint = "nvrtcGetCUBIN")]
    public static partial int GetCubin(nint program, byte* cubin);

    /// <summary>Throws when <paramref name="result"/> is not NVRTC_SUCCESS.</summary>
    public static void Check(int result, string call, string? detail = null)
    {
        if (result != 0)
        {
            throw new CudaException(call, result, ErrorName(result), detail);
        }
    }

    /// <summary>NVRTC's name for a result (e.g. <c>NVRTC_ERROR_COMPILATION</c>).</summary>
    public static string ErrorName(int result)
    {
        nint text = GetErrorString(result);
        return text == 0 ? $"nvrtcResult {result}" : Marshal.PtrToStringUTF8(text) ?? $"nvrtcResult {result}";
    }
}
