using BenchmarkDotNet.Attributes;
using ZImageSharp.Cpu;
using ZImageSharp.Tensors;

namespace ZImageSharp.Benchmarks;

/// <summary>
/// Tiled attention on model-like shapes: the DiT (30 heads × 128, bf16; 2048 tokens instead of 4224 to keep a run
/// short), the VAE mid-block (one head × 512, f32, 4096 tokens = a 512² image) and Qwen3 (32 query / 8 kv heads,
/// causal, 512 tokens). FLOPs count Q·Kᵀ and P·V (causal: half).
/// </summary>
[Config(typeof(GflopsConfig))]
public class AttentionBenchmarks
{
    private const int DitTokens = 2048;
    private const int VaeTokens = 4096;
    private const int QwenTokens = 512;

    private readonly CpuBackend _cpu = CpuBackend.Default;
    private Tensor[] _dit = null!;
    private Tensor[] _vae = null!;
    private Tensor[] _qwen = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dit = Qkv(1, 30, 30, DitTokens, 128, DType.BF16);
        _vae = Qkv(1, 1, 1, VaeTokens, 512, DType.F32);
        _qwen = Qkv(1, 32, 8, QwenTokens, 128, DType.BF16);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (Tensor t in _dit.Concat(_vae).Concat(_qwen))
        {
            t.Dispose();
        }
    }

    [Benchmark]
    [Flops(4.0 * 30 * DitTokens * DitTokens * 128)]
    public void Attention_Dit_30x2048x128_Bf16() => Ops.Attention(_dit[0], _dit[1], _dit[2]).Dispose();

    [Benchmark]
    [Flops(4.0 * VaeTokens * VaeTokens * 512)]
    public void Attention_Vae_1x4096x512_F32() => Ops.Attention(_vae[0], _vae[1], _vae[2]).Dispose();

    [Benchmark]
    [Flops(4.0 * 32 * QwenTokens * QwenTokens * 128 / 2)]
    public void Attention_Qwen_32q8kv_512_Causal_Bf16() => Ops.Attention(_qwen[0], _qwen[1], _qwen[2], causal: true).Dispose();

    private Tensor[] Qkv(int batch, int queryHeads, int keyHeads, int tokens, int headDim, DType dtype) =>
    [
        BenchData.Random(_cpu, new Shape(batch, queryHeads, tokens, headDim), dtype, seed: 1),
        BenchData.Random(_cpu, new Shape(batch, keyHeads, tokens, headDim), dtype, seed: 2),
        BenchData.Random(_cpu, new Shape(batch, keyHeads, tokens, headDim), dtype, seed: 3),
    ];
}
