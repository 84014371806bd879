using ZImageSharp.Cuda;

namespace ZImageSharp.Cli.Tests;

/// <summary>For the tests of what <c>--device cuda</c> says without a GPU: they skip on a machine where CUDA opens.</summary>
internal static class NoCuda
{
    private static readonly Lazy<string?> s_reason = new(() =>
    {
        try
        {
            CudaBackend.Create().Dispose();
            return null;
        }
        catch (CudaUnavailableException e)
        {
            return e.Message;
        }
    });

    /// <summary>Why CUDA cannot be opened here (the text the CLI must pass on); skips the test where it can.</summary>
    public static string Require()
    {
        string? reason = s_reason.Value;
        Assert.SkipWhen(reason is null, "CUDA opens on this machine: the no-GPU messages cannot be seen here");
        return reason!;
    }
}
