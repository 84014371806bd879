using ZImageSharp.Cpu;
using ZImageSharp.Cuda;
using ZImageSharp.IO.Tests.Support;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cli.Tests.Commands;

/// <summary><c>--device cpu|cuda|auto</c>: <see cref="BackendFactory"/> with a fake GPU opener, and every command's
/// answer to <c>--device cuda</c> on a machine without CUDA (one line, exit 2, nothing written).</summary>
public sealed class DeviceSelectionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Cpu_IsTheCpuBackend_WithTheThreadsAsked()
    {
        using var notes = new StringWriter();
        IBackend backend = BackendFactory.Create("cpu", 1, notes, () => throw new InvalidOperationException("must not open a GPU"));
        Assert.Equal(1, Assert.IsType<CpuBackend>(backend).Threads);
        Assert.Equal(string.Empty, notes.ToString());
    }

    [Fact]
    public void Auto_TakesTheGpu_WhenItOpens()
    {
        using var notes = new StringWriter();
        var gpu = new CpuBackend(1); // any backend stands in for the GPU: what matters is that the opener's result is used
        Assert.Same(gpu, BackendFactory.Create("auto", null, notes, () => gpu));
        Assert.Equal(string.Empty, notes.ToString());
    }

    [Fact]
    public void Auto_FallsBackToTheCpu_WithOneNoteGivingTheReason()
    {
        using var notes = new StringWriter();
        IBackend backend = BackendFactory.Create("auto", 2, notes, () => throw new CudaUnavailableException("libcuda.so.1 not found (looked in /usr/lib)."));
        Assert.Equal(2, Assert.IsType<CpuBackend>(backend).Threads);
        Assert.Equal("note: --device auto: running on the CPU; CUDA is not available: libcuda.so.1 not found (looked in /usr/lib).", notes.ToString().TrimEnd());
    }

    [Fact]
    public void Cuda_Unavailable_IsAUsageErrorWithTheReason()
    {
        var e = Assert.Throws<UsageException>(() => BackendFactory.Create("cuda", null, TextWriter.Null, () => throw new CudaUnavailableException("no NVIDIA GPU")));
        Assert.Equal("--device cuda: CUDA is not available: no NVIDIA GPU", e.Message);
    }

    [Fact]
    public void BadThreads_IsRefusedForEveryDevice()
    {
        foreach (string device in BackendFactory.Devices)
        {
            var e = Assert.Throws<UsageException>(() => BackendFactory.Create(device, 0, TextWriter.Null, () => new CpuBackend(1)));
            Assert.Equal("--threads must be at least 1, got 0.", e.Message);
        }
    }

    public static TheoryData<string[]> CudaCommands() => new()
    {
        { ["generate", "-p", "a fox", "-W", "32", "-H", "32", "--steps", "1", "-q"] },
        { ["bench", "ops", "--filter", "softmax", "--min-time", "0"] },
        { ["bench", "model", "--size", "32", "--steps", "1"] },
        { ["selftest", "--quick"] },
    };

    [Theory]
    [MemberData(nameof(CudaCommands))]
    public void DeviceCuda_WithoutAGpu_IsOneClearLine_Exit2(string[] command)
    {
        string reason = NoCuda.Require();
        string[] output = command[0] == "generate" ? ["--out", _dir.File("fox.png")] : [];
        CliRun run = CliRun.Of([.. command, .. output, "--device", "cuda"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"zimage: error: --device cuda: CUDA is not available: {reason}", Assert.Single(run.StderrLines));
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void ServeDeviceCuda_WithoutAGpu_IsOneClearLine_Exit2()
    {
        string reason = NoCuda.Require();
        CliRun run = CliRun.Of("serve", "--model", _dir.Path, "--device", "cuda");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"zimage: error: --device cuda: CUDA is not available: {reason}", Assert.Single(run.StderrLines));
    }

    [Fact]
    public void GenerateDeviceAuto_WithoutAGpu_SaysSoAndRunsOnTheCpu()
    {
        string reason = NoCuda.Require();
        string path = _dir.File("fox.png");
        CliRun run = CliRun.Of("generate", "-p", "a fox", "-W", "32", "-H", "32", "--steps", "1", "--seed", "7", "-q", "--out", path, "--device", "auto");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"note: --device auto: running on the CPU; CUDA is not available: {reason}", run.Stdout.Split('\n'));
        Assert.True(File.Exists(path));
    }
}
