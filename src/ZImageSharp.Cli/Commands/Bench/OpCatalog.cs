using ZImageSharp.Tensors;

namespace ZImageSharp.Cli.Commands.Bench;

/// <summary>
/// The op cases of <c>zimage bench ops</c>: the shapes the three models run at 1024² (DiT: 4096 image + 128 caption
/// tokens = 4224; 512²: 1024 + 32), the text encoder's, the adaLN's small M, attention, the VAE's convolutions and the
/// memory-bound ops. Activations are f32 and weights bf16, as the models run them.
/// </summary>
internal static class OpCatalog
{
    private const int Tokens = 4224;
    private const int Dim = 3840;

    /// <summary>Every case, in the order they are printed.</summary>
    public static IReadOnlyList<OpCase> All { get; } = Build();

    private static List<OpCase> Build()
    {
        var cases = new List<OpCase> { MatMul(2048, 2048, 2048) };

        // DiT linears: attention projections, FFN up (w1/w3) and down (w2), a fused qkv width.
        foreach (int m in (int[])[256, 1024, Tokens])
        {
            cases.Add(Linear(m, Dim, Dim));
            cases.Add(Linear(m, Dim, 10240));
            cases.Add(Linear(m, 10240, Dim));
        }

        cases.Add(Linear(Tokens, Dim, 3 * Dim));

        // Qwen3-4B at a 128-token prompt: q, k/v, gate/up, down.
        cases.Add(Linear(128, 2560, 4096));
        cases.Add(Linear(128, 2560, 1024));
        cases.Add(Linear(128, 2560, 9728));
        cases.Add(Linear(128, 9728, 2560));

        // adaLN modulation: M = batch (1) or a few images (32).
        cases.Add(Linear(1, 256, 4 * Dim));
        cases.Add(Linear(32, 256, 4 * Dim));

        cases.Add(Attention("dit 1024²", 30, 30, Tokens, 128, causal: false));
        cases.Add(Attention("dit 512²", 30, 30, 1056, 128, causal: false));
        cases.Add(Attention("qwen3", 32, 8, 512, 128, causal: true));
        cases.Add(Attention("vae 512²", 1, 1, 4096, 512, causal: false));

        // The VAE decoder's 3×3 convolutions: a 1024² image runs the first four (512 channels at 128² and 256², 256 at 512²,
        // 128 at 1024²; 77–309 GFLOP each); a 512² image runs 512 at 128², 256 at 256² and 128 at 512² (and 512 at 64²).
        cases.Add(Conv3x3(512, 128));
        cases.Add(Conv3x3(512, 256));
        cases.Add(Conv3x3(256, 512));
        cases.Add(Conv3x3(128, 1024));
        cases.Add(Conv3x3(512, 512));  // up_blocks.1's upsampler conv at 1024² (1.24 TFLOP)
        cases.Add(Conv3x3(256, 1024)); // up_blocks.2's upsampler conv at 1024² (1.24 TFLOP)
        cases.Add(Conv3x3(256, 256));
        cases.Add(Conv3x3(128, 512));

        // Memory-bound ops on one DiT activation [4224, 3840] f32 (and the VAE's largest GroupNorm/upsample input).
        long n = (long)Tokens * Dim;
        cases.Add(Memory("add", $"{Tokens}x{Dim}", 12.0 * n, b => Binary(b, BinaryOp.Add)));
        cases.Add(Memory("silu", $"{Tokens}x{Dim}", 8.0 * n, b => Unary(b, UnaryOp.Silu)));
        cases.Add(Memory("rmsnorm", $"{Tokens}x{Dim}", 8.0 * n, b =>
        {
            Tensor x = BenchTensors.Random(b, new Shape(Tokens, Dim), DType.F32, 1);
            Tensor w = BenchTensors.Random(b, new Shape(Dim), DType.BF16, 2);
            return new OpRun(() => Ops.RmsNorm(x, w, 1e-5f), x, w);
        }));
        cases.Add(Memory("softmax", $"{Tokens}x{Dim}", 8.0 * n, b =>
        {
            Tensor x = BenchTensors.Random(b, new Shape(Tokens, Dim), DType.F32, 1);
            return new OpRun(() => Ops.Softmax(x), x);
        }));
        cases.Add(Memory("cast", $"{Tokens}x{Dim} f32→bf16", 6.0 * n, b =>
        {
            Tensor x = BenchTensors.Random(b, new Shape(Tokens, Dim), DType.F32, 1);
            return new OpRun(() => Ops.Cast(x, DType.BF16), x);
        }));
        const long image = 128L * 512 * 512;
        cases.Add(Memory("groupnorm", "1x128x512x512 g32", 8.0 * image, b =>
        {
            Tensor x = BenchTensors.Random(b, new Shape(1, 128, 512, 512), DType.F32, 1);
            return new OpRun(() => Ops.GroupNorm(x, 32, null, null, 1e-6f), x);
        }));
        cases.Add(Memory("upsample", "1x128x512x512 ×2", 20.0 * image, b =>
        {
            Tensor x = BenchTensors.Random(b, new Shape(1, 128, 512, 512), DType.F32, 1);
            return new OpRun(() => Ops.UpsampleNearest(x), x);
        }));
        return cases;
    }

    private static OpCase MatMul(int m, int k, int n) => new("matmul", $"{m}x{k}x{n}", "f32", 2.0 * m * k * n, 0, b =>
    {
        Tensor a = BenchTensors.Random(b, new Shape(m, k), DType.F32, 1);
        Tensor w = BenchTensors.Random(b, new Shape(k, n), DType.F32, 2);
        return new OpRun(() => Ops.MatMul(a, w), a, w);
    });

    private static OpCase Linear(int m, int k, int n) => new("linear", $"{m}x{k}x{n}", "f32×bf16", 2.0 * m * k * n, 0, b =>
    {
        Tensor x = BenchTensors.Random(b, new Shape(m, k), DType.F32, 1);
        Tensor w = BenchTensors.Random(b, new Shape(n, k), DType.BF16, 2, scale: 0.02f);
        return new OpRun(() => Ops.Linear(x, w), x, w);
    });

    private static OpCase Attention(string what, int queryHeads, int keyHeads, int tokens, int headDim, bool causal)
    {
        double flops = 4.0 * queryHeads * tokens * tokens * headDim * (causal ? 0.5 : 1.0);
        string shape = $"{what} {queryHeads}/{keyHeads}h S{tokens} d{headDim}{(causal ? " causal" : string.Empty)}";
        return new OpCase("attention", shape, "f32", flops, 0, b =>
        {
            Tensor q = BenchTensors.Random(b, new Shape(1, queryHeads, tokens, headDim), DType.F32, 1);
            Tensor k = BenchTensors.Random(b, new Shape(1, keyHeads, tokens, headDim), DType.F32, 2);
            Tensor v = BenchTensors.Random(b, new Shape(1, keyHeads, tokens, headDim), DType.F32, 3);
            return new OpRun(() => Ops.Attention(q, k, v, causal: causal), q, k, v);
        });
    }

    private static OpCase Conv3x3(int channels, int size) =>
        new("conv2d", $"3x3 {channels}ch {size}x{size}", "f32", 2.0 * channels * channels * 9 * size * size, 0, b =>
        {
            Tensor x = BenchTensors.Random(b, new Shape(1, channels, size, size), DType.F32, 1);
            Tensor w = BenchTensors.Random(b, new Shape(channels, channels, 3, 3), DType.F32, 2, scale: 0.02f);
            return new OpRun(() => Ops.Conv2d(x, w, null, Conv2dParams.Symmetric(1, 1)), x, w);
        });

    private static OpCase Memory(string op, string shape, double bytes, Func<IBackend, OpRun> prepare) => new(op, shape, "f32", 0, bytes, prepare);

    private static OpRun Binary(IBackend backend, BinaryOp op)
    {
        Tensor a = BenchTensors.Random(backend, new Shape(Tokens, Dim), DType.F32, 1);
        Tensor c = BenchTensors.Random(backend, new Shape(Tokens, Dim), DType.F32, 2);
        return new OpRun(() => Ops.Binary(op, a, c), a, c);
    }

    private static OpRun Unary(IBackend backend, UnaryOp op)
    {
        Tensor x = BenchTensors.Random(backend, new Shape(Tokens, Dim), DType.F32, 1);
        return new OpRun(() => Ops.Unary(op, x), x);
    }
}
