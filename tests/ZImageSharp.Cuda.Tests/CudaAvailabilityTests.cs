using ZImageSharp.Cuda;

namespace ZImageSharp.Cuda.Tests;

public sealed class CudaAvailabilityTests
{
    [Fact]
    public void Create_WithoutUsableCuda_ThrowsOneSentenceReason_OrOpensTheGpu()
    {
        try
        {
            using CudaBackend backend = CudaBackend.Create();
            Assert.StartsWith("cuda:", backend.Name, StringComparison.Ordinal);
        }
        catch (CudaUnavailableException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            Assert.DoesNotContain('\n', e.Message);
        }
    }
}
