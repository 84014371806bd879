using System.Globalization;

namespace ZImageSharp.Cuda.Discovery;

/// <summary>
/// Finds the CUDA libraries on disk: <c>CUDA_PATH</c>/<c>CUDA_HOME</c>, <c>LD_LIBRARY_PATH</c>, the standard install
/// folders, and the folders of Python NVIDIA wheels (<c>nvidia/cuda_nvrtc/lib</c>, <c>nvidia/cublas/lib</c>), which is
/// where a PyTorch user's CUDA libraries usually are.
/// </summary>
/// <remarks>Only paths are produced here; nothing is loaded. Candidates come in search order, and within one folder the
/// newest versioned file first (<c>libnvrtc.so.12</c> before <c>libnvrtc.so.11.2</c>), so loading stops at the first
/// that opens.</remarks>
internal sealed class CudaLibraryLocator
{
    private readonly IFileSystemView _fs;

    /// <summary>A locator over a file-system view (the real one by default).</summary>
    public CudaLibraryLocator(IFileSystemView? fileSystem = null)
    {
        _fs = fileSystem ?? RealFileSystemView.Instance;
    }

    /// <summary>The file-name stem of a library (<c>libnvrtc.so</c>).</summary>
    public static string Stem(CudaLibrary library) => library switch
    {
        CudaLibrary.Driver => "libcuda.so",
        CudaLibrary.Nvrtc => "libnvrtc.so",
        CudaLibrary.CublasLt => "libcublasLt.so",
        _ => throw new ArgumentOutOfRangeException(nameof(library)),
    };

    /// <summary>The folders searched for <paramref name="library"/>, in order, existing or not (for messages).</summary>
    public IReadOnlyList<string> SearchFolders(CudaLibrary library)
    {
        var folders = new List<string>();
        foreach (string variable in new[] { "CUDA_PATH", "CUDA_HOME" })
        {
            if (_fs.Environment(variable) is { Length: > 0 } root)
            {
                folders.Add(Path.Combine(root, "lib64"));
                folders.Add(Path.Combine(root, "lib"));
                folders.Add(Path.Combine(root, "targets", "x86_64-linux", "lib"));
            }
        }

        if (_fs.Environment("LD_LIBRARY_PATH") is { Length: > 0 } ldPath)
        {
            folders.AddRange(ldPath.Split(':', StringSplitOptions.RemoveEmptyEntries));
        }

        if (library == CudaLibrary.Driver)
        {
            // The driver ships with the kernel module, outside any toolkit; WSL exposes it in its own folder.
            folders.Add("/usr/lib/x86_64-linux-gnu");
            folders.Add("/usr/lib64");
            folders.Add("/usr/lib/wsl/lib");
            folders.Add("/usr/local/nvidia/lib64");
            folders.Add("/usr/local/cuda/compat");
        }
        else
        {
            folders.Add("/usr/local/cuda/lib64");
            folders.AddRange(_fs.Directories("/usr/local", "cuda-*").OrderByDescending(VersionOf).Select(d => Path.Combine(d, "lib64")));
            folders.Add("/usr/lib/x86_64-linux-gnu");
            folders.Add("/usr/lib64");
            string wheelFolder = library == CudaLibrary.Nvrtc ? "cuda_nvrtc" : "cublas";
            folders.AddRange(PythonPackageFolders().Select(p => Path.Combine(p, "nvidia", wheelFolder, "lib")));
        }

        return folders.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Every existing file that could be <paramref name="library"/>, in the order to try them.</summary>
    public IReadOnlyList<string> Candidates(CudaLibrary library)
    {
        string stem = Stem(library);
        var found = new List<string>();
        foreach (string folder in SearchFolders(library))
        {
            // libcuda.so.1 is the driver's ABI name; the toolkit libraries carry their major (or major.minor) version.
            IEnumerable<string> files = _fs.Files(folder, stem + "*")
                .Where(f => IsLibraryName(Path.GetFileName(f), stem))
                .OrderByDescending(f => VersionOf(Path.GetFileName(f)));
            found.AddRange(files);
        }

        return found.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>True for <c>stem</c> or <c>stem.N[.N...]</c> (not <c>libnvrtc-builtins.so</c>, not <c>.alt</c> files).</summary>
    internal static bool IsLibraryName(string name, string stem)
    {
        if (name == stem)
        {
            return true;
        }

        if (!name.StartsWith(stem + ".", StringComparison.Ordinal))
        {
            return false;
        }

        return name[(stem.Length + 1)..].Split('.').All(part => part.Length > 0 && part.All(char.IsAsciiDigit));
    }

    /// <summary>The numeric version in a file or folder name (<c>libnvrtc.so.11.2</c> → 11.2, <c>cuda-12.4</c> → 12.4); 0 when none.</summary>
    internal static Version VersionOf(string name)
    {
        string file = Path.GetFileName(name);
        int start = file.AsSpan().IndexOfAnyInRange('0', '9');
        if (start < 0)
        {
            return new Version(0, 0);
        }

        string digits = new(file[start..].TakeWhile(c => char.IsAsciiDigit(c) || c == '.').ToArray());
        int[] parts = digits.Split('.', StringSplitOptions.RemoveEmptyEntries).Take(4).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return parts.Length switch
        {
            0 => new Version(0, 0),
            1 => new Version(parts[0], 0),
            2 => new Version(parts[0], parts[1]),
            3 => new Version(parts[0], parts[1], parts[2]),
            _ => new Version(parts[0], parts[1], parts[2], parts[3]),
        };
    }

    /// <summary>Python site-packages folders that may hold NVIDIA wheels: the active virtual or conda environment, the
    /// user's, and the system's.</summary>
    private IEnumerable<string> PythonPackageFolders()
    {
        var roots = new List<string>();
        foreach (string variable in new[] { "VIRTUAL_ENV", "CONDA_PREFIX" })
        {
            if (_fs.Environment(variable) is { Length: > 0 } env)
            {
                roots.Add(Path.Combine(env, "lib"));
            }
        }

        if (_fs.Environment("HOME") is { Length: > 0 } home)
        {
            roots.Add(Path.Combine(home, ".local", "lib"));
        }

        roots.Add("/usr/local/lib");
        roots.Add("/usr/lib");
        foreach (string root in roots)
        {
            foreach (string python in _fs.Directories(root, "python3*").OrderByDescending(VersionOf))
            {
                yield return Path.Combine(python, "site-packages");
                yield return Path.Combine(python, "dist-packages");
            }
        }
    }
}
