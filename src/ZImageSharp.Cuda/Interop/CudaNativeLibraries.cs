using System.Reflection;
using System.Runtime.InteropServices;
using ZImageSharp.Cuda.Discovery;

namespace ZImageSharp.Cuda.Interop;

/// <summary>
/// Loads the CUDA libraries from the paths <see cref="CudaLibraryLocator"/> finds and hands them to the
/// <c>[LibraryImport]</c> declarations, whose library names (<see cref="DriverName"/>, ...) are logical: a resolver
/// maps them to the loaded handles. Nothing is loaded until <see cref="Load(CudaLibrary)"/> runs (from <see cref="CudaBackend.Create"/>
/// or an NVRTC compile), so a CPU-only process never touches a CUDA library.
/// </summary>
internal static class CudaNativeLibraries
{
    /// <summary>Logical name of the driver API in the interop declarations.</summary>
    public const string DriverName = "zimagesharp-cuda-driver";

    /// <summary>Logical name of NVRTC in the interop declarations.</summary>
    public const string NvrtcName = "zimagesharp-nvrtc";

    /// <summary>Logical name of cuBLASLt in the interop declarations.</summary>
    public const string CublasLtName = "zimagesharp-cublaslt";

    private static readonly Lock s_gate = new();
    private static readonly Dictionary<CudaLibrary, (nint Handle, string Path)> s_loaded = [];

    /// <summary>The file each loaded library came from.</summary>
    public static string? PathOf(CudaLibrary library)
    {
        lock (s_gate)
        {
            return s_loaded.TryGetValue(library, out var entry) ? entry.Path : null;
        }
    }

    /// <summary>Loads <paramref name="library"/> once (first candidate that opens).</summary>
    /// <exception cref="CudaUnavailableException">No candidate opened; the message lists where it looked.</exception>
    public static void Load(CudaLibrary library) => Load(library, new CudaLibraryLocator());

    /// <summary>As <see cref="Load(CudaLibrary)"/> with a given locator.</summary>
    public static void Load(CudaLibrary library, CudaLibraryLocator locator)
    {
        lock (s_gate)
        {
            if (s_loaded.ContainsKey(library))
            {
                return;
            }

            var failures = new List<string>();
            foreach (string candidate in locator.Candidates(library))
            {
                if (NativeLibrary.TryLoad(candidate, out nint handle))
                {
                    s_loaded[library] = (handle, candidate);
                    return;
                }

                failures.Add(candidate);
            }

            // The dynamic loader's own search (ldconfig cache, rpath) as a last resort, by the usual ABI names.
            foreach (string soname in SoNames(library))
            {
                if (NativeLibrary.TryLoad(soname, out nint handle))
                {
                    s_loaded[library] = (handle, soname);
                    return;
                }
            }

            throw new CudaUnavailableException(NotFoundMessage(library, locator, failures));
        }
    }

    // Every interop path starts with Load, which runs this constructor first, so the resolver is in place before
    // the first [LibraryImport] call binds. Registering loads nothing.
    static CudaNativeLibraries() => NativeLibrary.SetDllImportResolver(typeof(CudaNativeLibraries).Assembly, Resolve);

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        CudaLibrary? library = name switch
        {
            DriverName => CudaLibrary.Driver,
            NvrtcName => CudaLibrary.Nvrtc,
            CublasLtName => CudaLibrary.CublasLt,
            _ => null,
        };
        if (library is null)
        {
            return 0;
        }

        // An interop call before Load would otherwise fail with an opaque DllNotFoundException.
        Load(library.Value);
        lock (s_gate)
        {
            return s_loaded[library.Value].Handle;
        }
    }

    private static string[] SoNames(CudaLibrary library) => library switch
    {
        CudaLibrary.Driver => ["libcuda.so.1"],
        CudaLibrary.Nvrtc => ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so"],
        _ => ["libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so.11", "libcublasLt.so"],
    };

    private static string NotFoundMessage(CudaLibrary library, CudaLibraryLocator locator, List<string> failures)
    {
        string what = library switch
        {
            CudaLibrary.Driver => "the NVIDIA driver library libcuda.so.1 (is an NVIDIA driver installed?)",
            CudaLibrary.Nvrtc => "NVRTC (libnvrtc.so.*, from the CUDA toolkit or the nvidia-cuda-nvrtc Python wheel; set CUDA_PATH to its folder)",
            _ => "cuBLASLt (libcublasLt.so.*, from the CUDA toolkit or the nvidia-cublas Python wheel; set CUDA_PATH to its folder)",
        };
        string tried = failures.Count > 0
            ? $"; found but could not load {string.Join(", ", failures)}"
            : $"; looked in {string.Join(", ", locator.SearchFolders(library).Take(8))} and the loader's default paths";
        return $"CUDA unavailable: could not find {what}{tried}.";
    }
}
