using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ZImageSharp.Cuda.Discovery;
using ZImageSharp.Cuda.Interop;

namespace ZImageSharp.Cuda.Compilation;

/// <summary>
/// Compiles the embedded CUDA C modules with NVRTC for one architecture. Headers (<c>*.cuh</c>) are passed in memory;
/// no toolkit include folder is needed. Works without a GPU (only libnvrtc is loaded), which is how the test suite
/// proves every module compiles on CPU-only CI.
/// </summary>
internal sealed unsafe class NvrtcCompiler
{
    private NvrtcCompiler(int major, int minor)
    {
        VersionMajor = major;
        VersionMinor = minor;
    }

    /// <summary>NVRTC's major version.</summary>
    public int VersionMajor { get; }

    /// <summary>NVRTC's minor version.</summary>
    public int VersionMinor { get; }

    /// <summary>"major.minor", for cache keys and messages.</summary>
    public string Version => $"{VersionMajor}.{VersionMinor}";

    /// <summary>Loads libnvrtc.</summary>
    /// <exception cref="CudaUnavailableException">When NVRTC cannot be found or loaded.</exception>
    public static NvrtcCompiler Load()
    {
        CudaNativeLibraries.Load(CudaLibrary.Nvrtc);
        Nvrtc.Check(Nvrtc.Version(out int major, out int minor), "nvrtcVersion");
        return new NvrtcCompiler(major, minor);
    }

    /// <summary>The options every module is compiled with (the cache key includes them).</summary>
    /// <remarks>No fast-math: expf/erff/rsqrtf must keep their accurate forms so CUDA matches the CPU backend.</remarks>
    public static IReadOnlyList<string> Options(int computeCapability, KernelImageKind kind) =>
    [
        (kind == KernelImageKind.Cubin ? "--gpu-architecture=sm_" : "--gpu-architecture=compute_") + computeCapability.ToString(CultureInfo.InvariantCulture),
        "--std=c++17",
        "-DZIMAGE_KERNELS=1",
    ];

    /// <summary>Compiles <paramref name="module"/> (an embedded <c>.cu</c> file) for compute capability
    /// <paramref name="computeCapability"/> (major·10 + minor).</summary>
    /// <exception cref="KernelCompileException">When NVRTC rejects the source; the message holds the log.</exception>
    public KernelImage Compile(string module, int computeCapability, KernelImageKind kind)
    {
        if (kind == KernelImageKind.Cubin && (VersionMajor, VersionMinor).CompareTo((11, 1)) < 0)
        {
            throw new NotSupportedException($"NVRTC {Version} cannot emit cubins (needs 11.1 or newer); compile to PTX instead.");
        }

        string source = KernelSources.Read(module);
        var headers = KernelSources.Headers;
        IReadOnlyList<string> options = Options(computeCapability, kind);
        var pinned = new List<GCHandle>();
        try
        {
            byte* sourcePtr = Utf8(source, pinned);
            byte* namePtr = Utf8(module, pinned);
            byte** headerTexts = stackalloc byte*[Math.Max(1, headers.Count)];
            byte** headerNames = stackalloc byte*[Math.Max(1, headers.Count)];
            for (int i = 0; i < headers.Count; i++)
            {
                headerTexts[i] = Utf8(headers[i].Value, pinned);
                headerNames[i] = Utf8(headers[i].Key, pinned);
            }

            byte** optionPtrs = stackalloc byte*[options.Count];
            for (int i = 0; i < options.Count; i++)
            {
                optionPtrs[i] = Utf8(options[i], pinned);
            }

            Nvrtc.Check(Nvrtc.CreateProgram(out nint program, sourcePtr, namePtr, headers.Count, headerTexts, headerNames), "nvrtcCreateProgram", module);
            try
            {
                int compiled = Nvrtc.CompileProgram(program, options.Count, optionPtrs);
                string log = ReadLog(program);
                string arch = (kind == KernelImageKind.Cubin ? "sm_" : "compute_") + computeCapability.ToString(CultureInfo.InvariantCulture);
                if (compiled != 0)
                {
                    throw new KernelCompileException(module, arch, log.Length > 0 ? log : Nvrtc.ErrorName(compiled));
                }

                byte[] image = kind == KernelImageKind.Ptx ? ReadPtx(program) : ReadCubin(program);
                return new KernelImage(module, computeCapability, kind, image, log);
            }
            finally
            {
                Nvrtc.DestroyProgram(ref program);
            }
        }
        finally
        {
            foreach (GCHandle handle in pinned)
            {
                handle.Free();
            }
        }
    }

    private static byte* Utf8(string text, List<GCHandle> pinned)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        GCHandle handle = GCHandle.Alloc(bytes, GCHandleType.Pinned);
        pinned.Add(handle);
        return (byte*)handle.AddrOfPinnedObject();
    }

    private static string ReadLog(nint program)
    {
        Nvrtc.Check(Nvrtc.GetProgramLogSize(program, out nuint size), "nvrtcGetProgramLogSize");
        if (size <= 1)
        {
            return "";
        }

        byte[] log = new byte[(int)size];
        fixed (byte* p = log)
        {
            Nvrtc.Check(Nvrtc.GetProgramLog(program, p), "nvrtcGetProgramLog");
        }

        return Encoding.UTF8.GetString(log, 0, log.Length - 1);
    }

    private static byte[] ReadPtx(nint program)
    {
        Nvrtc.Check(Nvrtc.GetPtxSize(program, out nuint size), "nvrtcGetPTXSize");
        byte[] ptx = new byte[(int)size];
        fixed (byte* p = ptx)
        {
            Nvrtc.Check(Nvrtc.GetPtx(program, p), "nvrtcGetPTX");
        }

        return ptx;
    }

    private static byte[] ReadCubin(nint program)
    {
        Nvrtc.Check(Nvrtc.GetCubinSize(program, out nuint size), "nvrtcGetCUBINSize");
        byte[] cubin = new byte[(int)size];
        fixed (byte* p = cubin)
        {
            Nvrtc.Check(Nvrtc.GetCubin(program, p), "nvrtcGetCUBIN");
        }

        return cubin;
    }
}
