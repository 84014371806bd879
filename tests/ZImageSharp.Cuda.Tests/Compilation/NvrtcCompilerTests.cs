using System.Text;
using ZImageSharp.Cuda.Compilation;

namespace ZImageSharp.Cuda.Tests.Compilation;

public sealed class NvrtcCompilerTests
{
    [Theory]
    [InlineData(80)]
    [InlineData(90)]
    public void Probe_CompilesToPtx_WithTheEntryAndTheInlinedHeader(int arch)
    {
        NvrtcCompiler nvrtc = NvrtcAvailability.Require();
        KernelImage image = nvrtc.Compile("probe.cu", arch, KernelImageKind.Ptx);

        Assert.Equal(0, image.Image[^1]);
        string ptx = image.PtxText;
        Assert.Contains($".target sm_{arch}", ptx, StringComparison.Ordinal);
        Assert.Contains(".entry zimage_probe_iota(", ptx, StringComparison.Ordinal);
        // probe_value(i) = 0.5f * i comes from the in-memory header: the multiply by 0.5 (0f3F000000) is in the PTX.
        Assert.Contains("0f3F000000", ptx, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(90)]
    public void Probe_CompilesToCubin_AnElfImage(int arch)
    {
        NvrtcCompiler nvrtc = NvrtcAvailability.Require();
        KernelImage image = nvrtc.Compile("probe.cu", arch, KernelImageKind.Cubin);

        Assert.True(image.Image.Length > 64);
        Assert.Equal("\u007fELF", Encoding.ASCII.GetString(image.Image, 0, 4));
    }

    [Fact]
    public void UnknownModule_NamesWhatIsEmbedded()
    {
        var e = Assert.Throws<ArgumentException>(() => KernelSources.Read("nope.cu"));
        Assert.Contains("probe.cu", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_ChangesWithOptions_AndIsStable()
    {
        string a = KernelSources.Hash("probe.cu", NvrtcCompiler.Options(90, KernelImageKind.Cubin));
        string b = KernelSources.Hash("probe.cu", NvrtcCompiler.Options(80, KernelImageKind.Cubin));
        Assert.NotEqual(a, b);
        Assert.Equal(a, KernelSources.Hash("probe.cu", NvrtcCompiler.Options(90, KernelImageKind.Cubin)));
    }
}
