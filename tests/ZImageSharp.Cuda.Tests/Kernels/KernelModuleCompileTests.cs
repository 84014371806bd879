using System.Text;
using ZImageSharp.Cuda.Compilation;
using ZImageSharp.Cuda.Tests.Compilation;

namespace ZImageSharp.Cuda.Tests.Kernels;

/// <summary>Every embedded module compiles with NVRTC for Ampere and Hopper, to PTX and to a cubin (no GPU needed).</summary>
public sealed class KernelModuleCompileTests
{
    public static TheoryData<string, int, bool> Cases()
    {
        var data = new TheoryData<string, int, bool>();
        foreach (string module in KernelSources.Modules)
        {
            foreach (int arch in new[] { 80, 90 })
            {
                data.Add(module, arch, false);
                data.Add(module, arch, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Module_Compiles(string module, int arch, bool cubin)
    {
        KernelImageKind kind = cubin ? KernelImageKind.Cubin : KernelImageKind.Ptx;
        NvrtcCompiler nvrtc = NvrtcAvailability.Require();
        KernelImage image = nvrtc.Compile(module, arch, kind);

        if (kind == KernelImageKind.Ptx)
        {
            string ptx = image.PtxText;
            Assert.Contains($".target sm_{arch}", ptx, StringComparison.Ordinal);
            Assert.Contains(".entry zimage_", ptx, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal("\u007fELF", Encoding.ASCII.GetString(image.Image, 0, 4));
        }

        // Warnings are compile errors in spirit here: a clean log keeps real problems visible.
        Assert.True(string.IsNullOrWhiteSpace(image.Log), $"{module} sm_{arch}: NVRTC log not empty:\n{image.Log}");
    }

    [Fact]
    public void EveryOpFamilyModule_IsEmbedded()
    {
        Assert.Subset(KernelSources.Modules.ToHashSet(), new HashSet<string> { "copy.cu", "elementwise.cu", "rows.cu", "norm.cu", "rope.cu", "conv.cu", "attention.cu" });
        Assert.Contains(KernelSources.Headers, h => h.Key == "common.cuh");
    }
}
