using ZImageSharp.Cuda.Compilation;

namespace ZImageSharp.Cuda.Tests.Compilation;

public sealed class KernelCacheTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zimage-kcache-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void SecondGet_ReadsTheDisk_NotTheCompiler_AndANewDriverRecompiles()
    {
        int calls = 0;
        KernelImage Compile(string module, int arch, KernelImageKind kind)
        {
            calls++;
            return new KernelImage(module, arch, kind, [1, 2, 3, (byte)arch], "");
        }

        var first = new KernelCache(_folder, "11.8", "12.4", Compile);
        Assert.Equal([1, 2, 3, 90], first.Get("probe.cu", 90, KernelImageKind.Cubin).Image);
        var second = new KernelCache(_folder, "11.8", "12.4", Compile);
        Assert.Equal([1, 2, 3, 90], second.Get("probe.cu", 90, KernelImageKind.Cubin).Image);
        Assert.Equal(1, calls);
        Assert.Equal(0, second.Compilations);

        var otherArch = new KernelCache(_folder, "11.8", "12.4", Compile);
        Assert.Equal([1, 2, 3, 80], otherArch.Get("probe.cu", 80, KernelImageKind.Cubin).Image);
        var otherDriver = new KernelCache(_folder, "11.8", "12.8", Compile);
        otherDriver.Get("probe.cu", 90, KernelImageKind.Cubin);
        Assert.Equal(3, calls);
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    [Fact]
    public void EmptyCachedFile_IsRecompiled()
    {
        int calls = 0;
        var cache = new KernelCache(_folder, "11.8", "12.4", (m, a, k) => { calls++; return new KernelImage(m, a, k, [7], ""); });
        Directory.CreateDirectory(_folder);
        File.WriteAllBytes(Path.Combine(_folder, cache.FileName("probe.cu", 90, KernelImageKind.Ptx)), []);
        Assert.Equal([7], cache.Get("probe.cu", 90, KernelImageKind.Ptx).Image);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void UnwritableFolder_StillReturnsTheImage()
    {
        string file = Path.Combine(Path.GetTempPath(), "zimage-kcache-file-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, "not a folder");
        try
        {
            var cache = new KernelCache(Path.Combine(file, "sub"), "11.8", "12.4", (m, a, k) => new KernelImage(m, a, k, [9], ""));
            Assert.Equal([9], cache.Get("probe.cu", 90, KernelImageKind.Ptx).Image);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
