using BenchmarkDotNet.Attributes;
using ZImageSharp.Cpu;
using ZImageSharp.Tensors;

namespace ZImageSharp.Benchmarks;

/// <summary>
/// The CPU GEMM on the shapes that matter: square f32, the DiT's linear layers (S = 4224 tokens, width 3840, FFN 10240,
/// f32 activations × bf16 weights; also the 4096-row variant of the attention projection) and the small-M adaLN
/// projection (K = 256, N = 4·3840).
/// </summary>
[Config(typeof(GflopsConfig))]
public class MatMulBenchmarks
{
    private readonly CpuBackend _cpu = CpuBackend.Default;
    private Tensor _a = null!;
    private Tensor _b = null!;
    private Tensor _x = null!;
    private Tensor _x4096 = null!;
    private Tensor _wAttention = null!;
    private Tensor _wFeedForward = null!;
    private Tensor _t = null!;
    private Tensor _wModulation = null!;

    [GlobalSetup]
    public void Setup()
    {
        _a = BenchData.Random(_cpu, new Shape(2048, 2048), DType.F32, seed: 1);
        _b = BenchData.Random(_cpu, new Shape(2048, 2048), DType.F32, seed: 2);
        _x = BenchData.Random(_cpu, new Shape(4224, 3840), DType.F32, seed: 3);
        _x4096 = _x.Narrow(0, 0, 4096);
        _wAttention = BenchData.Random(_cpu, new Shape(3840, 3840), DType.BF16, seed: 4, scale: 0.02f);
        _wFeedForward = BenchData.Random(_cpu, new Shape(10240, 3840), DType.BF16, seed: 5, scale: 0.02f);
        _t = BenchData.Random(_cpu, new Shape(32, 256), DType.F32, seed: 6);
        _wModulation = BenchData.Random(_cpu, new Shape(15360, 256), DType.BF16, seed: 7, scale: 0.05f);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (Tensor t in new[] { _a, _b, _x4096, _x, _wAttention, _wFeedForward, _t, _wModulation })
        {
            t.Dispose();
        }
    }

    [Benchmark]
    [Flops(2.0 * 2048 * 2048 * 2048)]
    public void MatMul_F32_2048() => Ops.MatMul(_a, _b).Dispose();

    [Benchmark]
    [Flops(2.0 * 4096 * 3840 * 3840)]
    public void Linear_Bf16Weight_4096x3840x3840() => Ops.Linear(_x4096, _wAttention).Dispose();

    [Benchmark]
    [Flops(2.0 * 4224 * 3840 * 3840)]
    public void Linear_Bf16Weight_4224x3840x3840() => Ops.Linear(_x, _wAttention).Dispose();

    [Benchmark]
    [Flops(2.0 * 4224 * 3840 * 10240)]
    public void Linear_Bf16Weight_4224x3840x10240() => Ops.Linear(_x, _wFeedForward).Dispose();

    [Benchmark]
    [Flops(2.0 * 32 * 256 * 15360)]
    public void Linear_SmallM_32x256x15360() => Ops.Linear(_t, _wModulation).Dispose();
}
