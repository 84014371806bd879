using ZImageSharp.Cuda;

namespace ZImageSharp.Testing;

/// <summary>
/// The GPU for tests: one <see cref="CudaBackend"/> per test process, opened at first use. Where CUDA is unavailable a
/// GPU test skips with the reason, unless <c>ZIMAGE_REQUIRE_CUDA=1</c> (the device check sets it), where it fails.
/// </summary>
public static class CudaTestDevice
{
    private static readonly Lazy<(CudaBackend? Backend, string? Reason)> s_device = new(Open, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True when the device check demands a GPU (<c>ZIMAGE_REQUIRE_CUDA=1</c>).</summary>
    public static bool Required => Environment.GetEnvironmentVariable("ZIMAGE_REQUIRE_CUDA") == "1";

    /// <summary>The shared GPU backend; skips (or fails when <see cref="Required"/>) the calling test without one.</summary>
    public static CudaBackend Require()
    {
        (CudaBackend? backend, string? reason) = s_device.Value;
        if (backend is not null)
        {
            return backend;
        }

        if (Required)
        {
            Assert.Fail("ZIMAGE_REQUIRE_CUDA=1 but CUDA is unavailable: " + reason);
        }

        Assert.Skip("No CUDA GPU: " + reason);
        return null!;
    }

    private static (CudaBackend?, string?) Open()
    {
        try
        {
            return (CudaBackend.Create(), null);
        }
        catch (CudaUnavailableException e)
        {
            return (null, e.Message);
        }
    }
}
