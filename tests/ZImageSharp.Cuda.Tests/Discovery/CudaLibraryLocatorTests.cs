using ZImageSharp.Cuda.Discovery;

namespace ZImageSharp.Cuda.Tests.Discovery;

public sealed class CudaLibraryLocatorTests
{
    private sealed class FakeFileSystem(Dictionary<string, string> environment, params string[] files) : IFileSystemView
    {
        public bool DirectoryExists(string path) => files.Any(f => f.StartsWith(path + "/", StringComparison.Ordinal));

        public IEnumerable<string> Files(string directory, string pattern)
        {
            string prefix = pattern.TrimEnd('*');
            return files.Where(f => Path.GetDirectoryName(f) == directory && Path.GetFileName(f).StartsWith(prefix, StringComparison.Ordinal));
        }

        public IEnumerable<string> Directories(string directory, string pattern)
        {
            string prefix = pattern.TrimEnd('*');
            return files.Select(f => f[..(f.IndexOf('/', directory.Length + 1) is int i and > 0 ? i : f.Length)])
                .Where(d => d.Length > directory.Length && Path.GetDirectoryName(d) == directory && Path.GetFileName(d).StartsWith(prefix, StringComparison.Ordinal) && d != directory)
                .Where(d => files.Any(f => f.StartsWith(d + "/", StringComparison.Ordinal)))
                .Distinct();
        }

        public string? Environment(string name) => environment.GetValueOrDefault(name);
    }

    [Fact]
    public void CudaPath_ComesFirst_NewestVersionFirst_BuiltinsAndAltFilesIgnored()
    {
        var fs = new FakeFileSystem(
            new() { ["CUDA_PATH"] = "/opt/cuda", ["HOME"] = "/home/u" },
            "/opt/cuda/lib64/libnvrtc.so.11.2",
            "/opt/cuda/lib64/libnvrtc.so.12",
            "/opt/cuda/lib64/libnvrtc-builtins.so.12.4",
            "/opt/cuda/lib64/libnvrtc.so.12.alt",
            "/usr/local/cuda/lib64/libnvrtc.so.12");
        IReadOnlyList<string> found = new CudaLibraryLocator(fs).Candidates(CudaLibrary.Nvrtc);
        Assert.Equal(["/opt/cuda/lib64/libnvrtc.so.12", "/opt/cuda/lib64/libnvrtc.so.11.2", "/usr/local/cuda/lib64/libnvrtc.so.12"], found);
    }

    [Fact]
    public void PythonWheels_AreSearched_ForCublasLt_AndTheDriverIsNot()
    {
        var fs = new FakeFileSystem(
            new() { ["VIRTUAL_ENV"] = "/venv" },
            "/venv/lib/python3.12/site-packages/nvidia/cublas/lib/libcublasLt.so.12",
            "/venv/lib/python3.12/site-packages/nvidia/cublas/lib/libcuda.so.1");
        var locator = new CudaLibraryLocator(fs);
        Assert.Equal(["/venv/lib/python3.12/site-packages/nvidia/cublas/lib/libcublasLt.so.12"], locator.Candidates(CudaLibrary.CublasLt));
        Assert.Empty(locator.Candidates(CudaLibrary.Driver));
    }

    [Fact]
    public void LdLibraryPath_AndTheDriversFolders_FindLibcuda()
    {
        var fs = new FakeFileSystem(new() { ["LD_LIBRARY_PATH"] = "/custom:/other" }, "/other/libcuda.so.1", "/usr/lib/wsl/lib/libcuda.so.1");
        Assert.Equal(["/other/libcuda.so.1", "/usr/lib/wsl/lib/libcuda.so.1"], new CudaLibraryLocator(fs).Candidates(CudaLibrary.Driver));
    }

    [Theory]
    [InlineData("libnvrtc.so", true)]
    [InlineData("libnvrtc.so.12", true)]
    [InlineData("libnvrtc.so.11.8.89", true)]
    [InlineData("libnvrtc.so.12.alt", false)]
    [InlineData("libnvrtc-builtins.so.12", false)]
    [InlineData("libnvrtc.so.", false)]
    public void LibraryNames(string name, bool expected) => Assert.Equal(expected, CudaLibraryLocator.IsLibraryName(name, "libnvrtc.so"));
}
