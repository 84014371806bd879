using System.CommandLine;
using ZImageSharp.Cpu;
using ZImageSharp.Cuda;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cli;

/// <summary>
/// The one place a command turns <c>--device</c> and <c>--threads</c> into a backend: <c>cpu</c>, <c>cuda</c> (GPU 0;
/// when CUDA cannot be opened, one error line naming what is missing and exit 2), or <c>auto</c> (the GPU when it opens,
/// else the CPU with a one-line note saying why).
/// </summary>
internal static class BackendFactory
{
    /// <summary>The accepted <c>--device</c> values.</summary>
    public static readonly string[] Devices = ["cpu", "cuda", "auto"];

    /// <summary>The <c>--device</c> option every command shares.</summary>
    public static Option<string> DeviceOption(string defaultDevice = "cpu")
    {
        var option = new Option<string>("--device")
        {
            Description = "Where to run: cpu, cuda (GPU 0), or auto (cuda when it opens, else cpu).",
            DefaultValueFactory = _ => defaultDevice,
        };
        option.AcceptOnlyFromAmong(Devices);
        return option;
    }

    /// <summary>Opens the backend for <paramref name="device"/>; notes (the auto fallback) go to <paramref name="notes"/>.</summary>
    /// <param name="device">cpu, cuda or auto.</param>
    /// <param name="threads">CPU worker threads (null = all cores); checked for every device.</param>
    /// <param name="notes">Where the auto fallback is said.</param>
    /// <param name="openCuda">Opens the GPU (tests pass a fake); <see cref="CudaBackend.Create"/> when null.</param>
    /// <exception cref="UsageException">For bad --threads, or --device cuda when CUDA cannot be opened.</exception>
    public static IBackend Create(string device, int? threads, TextWriter notes, Func<IBackend>? openCuda = null)
    {
        ArgumentNullException.ThrowIfNull(notes);
        if (threads is < 1)
        {
            throw new UsageException($"--threads must be at least 1, got {threads}.");
        }

        openCuda ??= () => CudaBackend.Create(0);
        switch (device)
        {
            case "cuda":
                try
                {
                    return openCuda();
                }
                catch (CudaUnavailableException e)
                {
                    throw new UsageException($"--device cuda: CUDA is not available: {OneLine(e.Message)}");
                }

            case "auto":
                try
                {
                    return openCuda();
                }
                catch (CudaUnavailableException e)
                {
                    notes.WriteLine($"note: --device auto: running on the CPU; CUDA is not available: {OneLine(e.Message)}");
                    return Cpu(threads);
                }

            case "cpu":
                return Cpu(threads);

            default:
                throw new UsageException($"--device {device}: not one of {string.Join(", ", Devices)}.");
        }
    }

    /// <summary>The CPU worker threads of a backend, or null for a GPU (reports print them only for the CPU).</summary>
    public static int? ThreadsOf(IBackend backend) => backend is CpuBackend cpu ? cpu.Threads : null;

    /// <summary>Releases a backend this factory opened (a GPU context); the shared CPU backend is left alone.</summary>
    public static void Release(IBackend backend)
    {
        if (backend is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    private static CpuBackend Cpu(int? threads) => threads is { } n ? new CpuBackend(n) : CpuBackend.Default;

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
