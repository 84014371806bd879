using ZImageSharp.Tensors;
using ZImageSharp.Verification.Reference;

namespace ZImageSharp.Verification;

// Element-wise ops: every UnaryOp and BinaryOp (with broadcasting), affine, clamp, SwiGLU.
public static partial class OpCatalog
{
    private static IEnumerable<OpCase> Elementwise()
    {
        int[] shape = [3, 1001];
        foreach (UnaryOp op in Enum.GetValues<UnaryOp>())
        {
            string name = $"unary.{op.ToString().ToLowerInvariant()}";
            foreach (DType dtype in new[] { DType.F32, DType.BF16, DType.F16 })
            {
                if (dtype == DType.F16 && op is not (UnaryOp.Exp or UnaryOp.Silu or UnaryOp.Gelu))
                {
                    continue;
                }

                yield return Case(name, S(shape), dtype,
                    () => [UnaryInput(op, Seed(name, S(shape), 0), dtype, shape)],
                    (_, t) => Ops.Unary(op, t[0]),
                    h => ReferenceOps.Unary(op, h[0]));
            }
        }

        // A strided input, and a 16-bit input written as f32.
        int[] matrix = [65, 31];
        yield return Case("unary.silu", $"{S(matrix)} transposed view", DType.F32,
            () => [UnaryInput(UnaryOp.Silu, Seed("silu.t", S(matrix), 0), DType.F32, matrix).As(InputView.Transposed)],
            (_, t) => Ops.Silu(t[0]),
            h => ReferenceOps.Unary(UnaryOp.Silu, h[0]));
        yield return Case("unary.exp", $"{S(shape)} bf16 in, f32 out", DType.F32,
            () => [UnaryInput(UnaryOp.Exp, Seed("exp.mixed", S(shape), 0), DType.BF16, shape)],
            (_, t) => Ops.Unary(UnaryOp.Exp, t[0], DType.F32),
            h => ReferenceOps.Unary(UnaryOp.Exp, h[0]));

        // Broadcasting as the models use it: per-channel [D], per-row [.., 1], a [B, 1, D] modulation, mixed dtypes.
        (int[] A, int[] B, string Note)[] pairs =
        [
            ([4, 33, 65], [4, 33, 65], "same shape"),
            ([4, 33, 65], [65], "row vector"),
            ([4, 33, 65], [1, 33, 1], "column"),
            ([2, 1, 17], [2, 9, 1], "both broadcast"),
        ];
        foreach (BinaryOp op in Enum.GetValues<BinaryOp>())
        {
            string name = $"binary.{op.ToString().ToLowerInvariant()}";
            foreach (DType dtype in Floats)
            {
                foreach ((int[] a, int[] b, string note) in pairs)
                {
                    string label = $"{S(a)} {Symbol(op)} {S(b)} ({note})";
                    yield return Case(name, label, dtype,
                        () => [SeededInputs.Normal(Seed(name, label, 0), dtype, a), BinaryRight(op, Seed(name, label, 1), dtype, b)],
                        (_, t) => Ops.Binary(op, t[0], t[1]),
                        h => ReferenceOps.Binary(op, h[0], h[1]));
                }
            }

            string mixed = $"[7, 129] {Symbol(op)} [129] bf16 with f32 (promotes to f32)";
            yield return Case(name, mixed, DType.F32,
                () => [SeededInputs.Normal(Seed(name, mixed, 0), DType.BF16, [7, 129]), BinaryRight(op, Seed(name, mixed, 1), DType.F32, [129])],
                (_, t) => Ops.Binary(op, t[0], t[1]),
                h => ReferenceOps.Binary(op, h[0], h[1]));
        }

        // The DiT's gated residual: x + gate ⊙ y over [1, 4128, 3840] with a [1, 1, 3840] gate (two ops).
        int[] dit = [1, DitTokens, DitHidden];
        yield return Case("binary.mul", $"{S(dit)} * [1, 1, {DitHidden}] (DiT gate)", DType.BF16,
            () => [SeededInputs.Normal(Seed("dit.gate", S(dit), 0), DType.BF16, dit), SeededInputs.Normal(Seed("dit.gate", S(dit), 1), DType.BF16, [1, 1, DitHidden])],
            (_, t) => Ops.Mul(t[0], t[1]),
            h => ReferenceOps.Binary(BinaryOp.Mul, h[0], h[1]));

        foreach (DType dtype in Floats)
        {
            int[] x = [7, 129];
            yield return Case("affine", $"{S(x)} ·0.7 − 0.25", dtype,
                () => [SeededInputs.Normal(Seed("affine", S(x), 0), dtype, x)],
                (_, t) => Ops.Affine(t[0], 0.7f, -0.25f),
                h => ReferenceOps.Affine(h[0], 0.7f, -0.25f));
            yield return Case("affine", $"{S(x)} ·2 + 1 row slice view", dtype,
                () => [SeededInputs.Normal(Seed("affine.p", S(x), 0), dtype, x).As(InputView.Padded)],
                (_, t) => Ops.Affine(t[0], 2f, 1f),
                h => ReferenceOps.Affine(h[0], 2, 1));
            yield return Case("clamp", $"{S(x)} to [−1, 1.5]", dtype,
                () => [SeededInputs.Normal(Seed("clamp", S(x), 0), dtype, x, scale: 2)],
                (_, t) => Ops.Clamp(t[0], -1f, 1.5f),
                h => ReferenceOps.Clamp(h[0], -1, 1.5));

            int[] g = [5, 1023];
            yield return Case("swiglu", S(g), dtype,
                () => [SeededInputs.Normal(Seed("swiglu", S(g), 0), dtype, g, scale: 2), SeededInputs.Normal(Seed("swiglu", S(g), 1), dtype, g)],
                (_, t) => Ops.SwiGlu(t[0], t[1]),
                h => ReferenceOps.SwiGlu(h[0], h[1]));
        }

        // The DiT's feed-forward hidden size (10240); the full catalog runs all 4128 tokens.
        foreach ((int tokens, bool quick) in new[] { (257, true), (DitTokens, false) })
        {
            int[] ffn = [1, tokens, 10240];
            yield return Case("swiglu", $"{S(ffn)} (DiT FFN)", DType.BF16,
                () => [SeededInputs.Normal(Seed("swiglu.dit", S(ffn), 0), DType.BF16, ffn, scale: 2), SeededInputs.Normal(Seed("swiglu.dit", S(ffn), 1), DType.BF16, ffn)],
                (_, t) => Ops.SwiGlu(t[0], t[1]),
                h => ReferenceOps.SwiGlu(h[0], h[1]),
                quick);
        }
    }

    /// <summary>Inputs inside each function's domain, spread over its interesting range.</summary>
    private static HostInput UnaryInput(UnaryOp op, int seed, DType dtype, int[] shape) => op switch
    {
        UnaryOp.Sqrt or UnaryOp.Rsqrt or UnaryOp.Log => SeededInputs.Uniform(seed, dtype, shape, 0.05, 4),
        UnaryOp.Reciprocal => SeededInputs.Uniform(seed, dtype, shape, 0.25, 4),
        UnaryOp.Exp => SeededInputs.Normal(seed, dtype, shape, scale: 2),
        UnaryOp.Cos or UnaryOp.Sin => SeededInputs.Uniform(seed, dtype, shape, -10, 10),
        _ => SeededInputs.Normal(seed, dtype, shape, scale: 3),
    };

    /// <summary>Divisors stay in ±[0.5, 2] so a quotient never explodes.</summary>
    private static HostInput BinaryRight(BinaryOp op, int seed, DType dtype, int[] shape)
    {
        if (op != BinaryOp.Div)
        {
            return SeededInputs.Normal(seed, dtype, shape);
        }

        HostInput magnitude = SeededInputs.Uniform(seed, dtype, shape, 0.5, 2);
        double[] signed = [.. magnitude.Values.Select((v, i) => i % 3 == 1 ? -v : v)];
        return magnitude with { Values = signed };
    }

    private static string Symbol(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Sub => "−",
        BinaryOp.Mul => "*",
        BinaryOp.Div => "/",
        BinaryOp.Maximum => "max",
        _ => "min",
    };
}
