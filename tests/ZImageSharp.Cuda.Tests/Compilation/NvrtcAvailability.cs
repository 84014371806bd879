using ZImageSharp.Cuda.Compilation;

namespace ZImageSharp.Cuda.Tests.Compilation;

/// <summary>NVRTC for tests: loaded once; tests that compile skip with the reason where libnvrtc is missing.</summary>
internal static class NvrtcAvailability
{
    private static readonly Lazy<(NvrtcCompiler? Compiler, string? Reason)> s_compiler = new(() =>
    {
        try
        {
            return (NvrtcCompiler.Load(), null);
        }
        catch (CudaUnavailableException e)
        {
            return (null, e.Message);
        }
    });

    /// <summary>The compiler, or a skip (a failure when <c>ZIMAGE_REQUIRE_NVRTC=1</c>, which CI sets after installing it).</summary>
    public static NvrtcCompiler Require()
    {
        (NvrtcCompiler? compiler, string? reason) = s_compiler.Value;
        if (compiler is not null)
        {
            return compiler;
        }

        if (Environment.GetEnvironmentVariable("ZIMAGE_REQUIRE_NVRTC") == "1")
        {
            Assert.Fail("ZIMAGE_REQUIRE_NVRTC=1 but NVRTC is unavailable: " + reason);
        }

        Assert.Skip("NVRTC unavailable: " + reason);
        return null!;
    }
}
