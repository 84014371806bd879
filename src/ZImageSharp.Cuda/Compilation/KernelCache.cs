using System.Globalization;

namespace ZImageSharp.Cuda.Compilation;

/// <summary>
/// Compiled modules on disk, so NVRTC runs once per source version, GPU architecture, driver and NVRTC version. The
/// key hashes the module, every header and the options; a stale or corrupt file is simply recompiled.
/// </summary>
/// <remarks>Folder: <c>$ZIMAGE_KERNEL_CACHE</c>, else <c>$XDG_CACHE_HOME/zimagesharp/kernels</c>, else
/// <c>~/.cache/zimagesharp/kernels</c>. Writes go to a temporary file renamed into place, so concurrent processes
/// never read a half-written image. An unwritable folder only costs a recompile per process.</remarks>
internal sealed class KernelCache
{
    private readonly Func<string, int, KernelImageKind, KernelImage> _compile;
    private readonly string _compilerVersion;
    private readonly string _driverVersion;

    /// <summary>A cache in <paramref name="folder"/> (null: the default folder) in front of <paramref name="compile"/>.</summary>
    public KernelCache(string? folder, string compilerVersion, string driverVersion, Func<string, int, KernelImageKind, KernelImage> compile)
    {
        Folder = folder ?? DefaultFolder();
        _compilerVersion = compilerVersion;
        _driverVersion = driverVersion;
        _compile = compile;
    }

    /// <summary>Where images are kept.</summary>
    public string Folder { get; }

    /// <summary>Compilations this instance ran (cache misses), for tests and the selftest report.</summary>
    public int Compilations { get; private set; }

    /// <summary>The default folder (see remarks).</summary>
    public static string DefaultFolder()
    {
        if (Environment.GetEnvironmentVariable("ZIMAGE_KERNEL_CACHE") is { Length: > 0 } explicitFolder)
        {
            return explicitFolder;
        }

        string root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "zimagesharp", "kernels");
    }

    /// <summary>The file name an image is cached under.</summary>
    public string FileName(string module, int computeCapability, KernelImageKind kind)
    {
        string hash = KernelSources.Hash(module, NvrtcCompiler.Options(computeCapability, kind));
        string extension = kind == KernelImageKind.Ptx ? "ptx" : "cubin";
        return string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileNameWithoutExtension(module)}-{hash}-sm{computeCapability}-nvrtc{_compilerVersion}-driver{_driverVersion}.{extension}");
    }

    /// <summary>The image for a module: from disk when present, else compiled and stored.</summary>
    public KernelImage Get(string module, int computeCapability, KernelImageKind kind)
    {
        string path = Path.Combine(Folder, FileName(module, computeCapability, kind));
        if (TryRead(path) is byte[] cached)
        {
            return new KernelImage(module, computeCapability, kind, cached, "");
        }

        KernelImage image = _compile(module, computeCapability, kind);
        Compilations++;
        TryWrite(path, image.Image);
        return image;
    }

    private static byte[]? TryRead(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            byte[] bytes = File.ReadAllBytes(path);
            return bytes.Length > 0 ? bytes : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void TryWrite(string path, byte[] image)
    {
        string temporary = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(temporary, image);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // Nothing to do: the temporary file name is unique and harmless.
            }
        }
    }
}
