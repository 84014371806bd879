using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ZImageSharp.Tensors.Tests.Runtime;

/// <summary>tools/test.sh re-runs this suite with ISAs switched off; these checks prove the switches took effect.</summary>
public sealed class IsaSwitchTests
{
    [Fact]
    public void DisabledIsas_AreReallyOff()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0")
        {
            Assert.False(Vector512.IsHardwareAccelerated, "DOTNET_EnableAVX512=0 is set but Vector512 is still accelerated.");
        }

        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0")
        {
            Assert.False(Avx2.IsSupported, "DOTNET_EnableAVX2=0 is set but AVX2 is still used.");
            Assert.False(Vector512.IsHardwareAccelerated);
        }

        Assert.True(Vector128.IsHardwareAccelerated || !X86Base.IsSupported);
    }
}
