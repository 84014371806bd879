using BenchmarkDotNet.Attributes;
using ZImageSharp.Cpu;
using ZImageSharp.Tensors;

namespace ZImageSharp.Benchmarks;

/// <summary>VAE decoder convolutions (3×3, pad 1, f32): a 128-channel layer at 256² and a 512-channel layer at 64².</summary>
[Config(typeof(GflopsConfig))]
public class Conv2dBenchmarks
{
    private readonly CpuBackend _cpu = CpuBackend.Default;
    private Tensor _x128 = null!;
    private Tensor _w128 = null!;
    private Tensor _x512 = null!;
    private Tensor _w512 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _x128 = BenchData.Random(_cpu, new Shape(1, 128, 256, 256), DType.F32, seed: 1);
        _w128 = BenchData.Random(_cpu, new Shape(128, 128, 3, 3), DType.F32, seed: 2, scale: 0.03f);
        _x512 = BenchData.Random(_cpu, new Shape(1, 512, 64, 64), DType.F32, seed: 3);
        _w512 = BenchData.Random(_cpu, new Shape(512, 512, 3, 3), DType.F32, seed: 4, scale: 0.015f);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (Tensor t in new[] { _x128, _w128, _x512, _w512 })
        {
            t.Dispose();
        }
    }

    [Benchmark]
    [Flops(2.0 * 128 * 128 * 9 * 256 * 256)]
    public void Conv3x3_128ch_256px_F32() => Ops.Conv2d(_x128, _w128, null, Conv2dParams.Symmetric(1, 1)).Dispose();

    [Benchmark]
    [Flops(2.0 * 512 * 512 * 9 * 64 * 64)]
    public void Conv3x3_512ch_64px_F32() => Ops.Conv2d(_x512, _w512, null, Conv2dParams.Symmetric(1, 1)).Dispose();
}
