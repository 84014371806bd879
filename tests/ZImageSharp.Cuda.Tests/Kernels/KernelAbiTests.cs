using System.Collections.Concurrent;
using ZImageSharp.Cuda.Compilation;
using ZImageSharp.Cuda.Tests.Compilation;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Tests.Kernels;

/// <summary>
/// The C# dispatch and the CUDA C kernels agree on every launch: each recorded launch names an <c>.entry</c> of its
/// module's PTX whose parameter count and sizes are exactly what was packed, and its grid, block and shared memory
/// are within CUDA's limits. A mismatch here is a kernel reading garbage on the GPU.
/// </summary>
public sealed class KernelAbiTests
{
    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<int>>> s_entries = new();

    [Fact]
    public void EveryLaunch_MatchesItsPtxEntry_AndCudaLimits()
    {
        NvrtcCompiler nvrtc = NvrtcAvailability.Require();
        var failures = new List<string>();
        int launches = 0;
        foreach ((string name, Action<FakeKernelHost> run) in KernelScenarios.All())
        {
            var host = new FakeKernelHost();
            run(host);
            if (host.Launches.Count == 0)
            {
                failures.Add($"{name}: no launch");
            }

            foreach (RecordedLaunch launch in host.Launches)
            {
                launches++;
                var entries = s_entries.GetOrAdd(launch.Module, m => PtxSignatures.Parse(nvrtc.Compile(m, host.ComputeCapability, KernelImageKind.Ptx).PtxText));
                string where = $"{name}: {launch.Module}/{launch.Function}";
                if (!entries.TryGetValue(launch.Function, out IReadOnlyList<int>? expected))
                {
                    failures.Add($"{where}: no such .entry (module has {string.Join(", ", entries.Keys)})");
                    continue;
                }

                if (!expected.SequenceEqual(launch.Sizes) || launch.Count != expected.Count)
                {
                    failures.Add($"{where}: PTX parameters [{string.Join(", ", expected)}] but packed [{string.Join(", ", launch.Sizes)}] ({launch.Count} values)");
                }

                failures.AddRange(LimitViolations(launch, host.MaxSharedMemoryPerBlock).Select(v => $"{where}: {v}"));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(launches > 60, $"only {launches} launches recorded");
    }

    [Fact]
    public void EveryKernelEntry_IsLaunchedBySomeScenario()
    {
        NvrtcCompiler nvrtc = NvrtcAvailability.Require();
        var launched = new HashSet<string>();
        foreach ((_, Action<FakeKernelHost> run) in KernelScenarios.All())
        {
            var host = new FakeKernelHost();
            run(host);
            launched.UnionWith(host.Launches.Select(l => $"{l.Module}/{l.Function}"));
        }

        var missing = new List<string>();
        foreach (string module in KernelSources.Modules.Where(m => m != "probe.cu"))
        {
            var entries = s_entries.GetOrAdd(module, m => PtxSignatures.Parse(nvrtc.Compile(m, 90, KernelImageKind.Ptx).PtxText));
            Assert.NotEmpty(entries);
            missing.AddRange(entries.Keys.Select(e => $"{module}/{e}").Where(e => !launched.Contains(e)));
        }

        Assert.True(missing.Count == 0, "never launched: " + string.Join(", ", missing));
    }

    [Fact]
    public void MatMul_GoesToTheHost()
    {
        var host = new FakeKernelHost();
        host.Kernels.MatMul(host.Tensor(DType.BF16, [1, 4, 8]), host.Tensor(DType.BF16, [1, 8, 2]), null, host.Tensor(DType.BF16, [1, 4, 2]));
        Assert.Equal(1, host.MatMulCalls);
        Assert.Empty(host.Launches);
    }

    [Fact]
    public void PtxParser_ReadsScalarsPointersAndStructs()
    {
        const string ptx = """
            .visible .entry k(
            	.param .align 8 .b8 k_param_0[144],
            	.param .u64 k_param_1,
            	.param .f32 k_param_2,
            	.param .u32 k_param_3
            )
            .visible .entry empty()
            """;
        var entries = PtxSignatures.Parse(ptx);
        Assert.Equal([144, 8, 4, 4], entries["k"]);
        Assert.Empty(entries["empty"]);
    }

    private static IEnumerable<string> LimitViolations(RecordedLaunch launch, int maxShared)
    {
        long threads = (long)launch.Block.X * launch.Block.Y * launch.Block.Z;
        if (threads is < 1 or > 1024 || launch.Block.Z > 64)
        {
            yield return $"block {launch.Block} is outside CUDA's limits";
        }

        if (launch.Grid.X is < 1 or > int.MaxValue || launch.Grid.Y is < 1 or > 65535 || launch.Grid.Z is < 1 or > 65535)
        {
            yield return $"grid {launch.Grid} is outside CUDA's limits";
        }

        if (launch.SharedMemoryBytes < 0 || launch.SharedMemoryBytes > maxShared)
        {
            yield return $"{launch.SharedMemoryBytes} bytes of dynamic shared memory (device allows {maxShared})";
        }
    }
}
