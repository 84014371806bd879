using ZImageSharp.Tensors;
using ZImageSharp.Verification.Reference;

namespace ZImageSharp.Verification;

// Row ops: RMSNorm (plain and scaled with a residual), LayerNorm, GroupNorm, softmax, reductions, RoPE.
public static partial class OpCatalog
{
    private const float Eps = 1e-6f;

    private static IEnumerable<OpCase> Rows()
    {
        int[] dit = [1, DitTokens, DitHidden];
        int[] odd = [3, 7, 129];
        foreach (DType dtype in new[] { DType.F32, DType.BF16, DType.F16 })
        {
            yield return Case("rmsnorm", $"{S(odd)} weight", dtype,
                () => [SeededInputs.Normal(Seed("rms", S(odd), 0), dtype, odd, scale: 2, mean: 0.5), SeededInputs.Normal(Seed("rms", S(odd), 1), dtype, [odd[^1]], mean: 1)],
                (_, t) => Ops.RmsNorm(t[0], t[1], Eps),
                h => ReferenceOps.RmsNorm(h[0], h[1], Eps));
        }

        yield return Case("rmsnorm", $"{S(odd)} no weight, row slice view", DType.F32,
            () => [SeededInputs.Normal(Seed("rms.p", S(odd), 0), DType.F32, odd).As(InputView.Padded)],
            (_, t) => Ops.RmsNorm(t[0], null, Eps),
            h => ReferenceOps.RmsNorm(h[0], null, Eps));
        yield return Case("rmsnorm", $"{S(dit)} bf16 weight (DiT)", DType.BF16,
            () => [SeededInputs.Normal(Seed("rms.dit", S(dit), 0), DType.BF16, dit, scale: 3), SeededInputs.Normal(Seed("rms.dit", S(dit), 1), DType.BF16, [DitHidden], mean: 1)],
            (_, t) => Ops.RmsNorm(t[0], t[1], Eps),
            h => ReferenceOps.RmsNorm(h[0], h[1], Eps));
        yield return Case("rmsnorm", $"[5, 77] f32 with bf16 weight", DType.F32,
            () => [SeededInputs.Normal(Seed("rms.mixed", "x", 0), DType.F32, [5, 77]), SeededInputs.Normal(Seed("rms.mixed", "w", 1), DType.BF16, [77], mean: 1)],
            (_, t) => Ops.RmsNorm(t[0], t[1], Eps),
            h => ReferenceOps.RmsNorm(h[0], h[1], Eps));

        // residual + RMSNorm(x)·weight·scale, the scale a [B, 1, D] modulation broadcast over tokens.
        foreach ((int[] shape, DType dtype, bool quick) in new[] { (new[] { 2, 9, 129 }, DType.F32, true), (new[] { 2, 9, 129 }, DType.BF16, true), (dit, DType.BF16, true) })
        {
            int[] scaleShape = [shape[0], 1, shape[2]];
            foreach ((bool scale, bool residual) in new[] { (true, true), (true, false), (false, true) })
            {
                string label = $"{S(shape)}{(scale ? $" ·scale {S(scaleShape)}" : string.Empty)}{(residual ? " +residual" : string.Empty)}";
                if (shape == dit && !(scale && residual))
                {
                    continue;
                }

                yield return Case("rmsnorm-scaled", label, dtype,
                    () =>
                    [
                        SeededInputs.Normal(Seed("rmss", label, 0), dtype, shape, scale: 2),
                        SeededInputs.Normal(Seed("rmss", label, 1), dtype, [shape[2]], mean: 1),
                        SeededInputs.Normal(Seed("rmss", label, 2), dtype, scaleShape, mean: 1),
                        SeededInputs.Normal(Seed("rmss", label, 3), dtype, shape),
                    ],
                    (_, t) => Ops.RmsNorm(t[0], t[1], Eps, scale ? t[2] : null, residual ? t[3] : null),
                    h =>
                    {
                        HostTensor y = ReferenceOps.RmsNorm(h[0], h[1], Eps);
                        y = scale ? ReferenceOps.Binary(BinaryOp.Mul, y, h[2]) : y;
                        return residual ? ReferenceOps.Binary(BinaryOp.Add, h[3], y) : y;
                    },
                    quick);
            }
        }

        int[] ln = [6, 257];
        foreach (DType dtype in Floats)
        {
            yield return Case("layernorm", $"{S(ln)} weight, bias", dtype,
                () => [SeededInputs.Normal(Seed("ln", S(ln), 0), dtype, ln, scale: 2, mean: 3), SeededInputs.Normal(Seed("ln", S(ln), 1), dtype, [ln[1]], mean: 1), SeededInputs.Normal(Seed("ln", S(ln), 2), dtype, [ln[1]])],
                (_, t) => Ops.LayerNorm(t[0], t[1], t[2], Eps),
                h => ReferenceOps.LayerNorm(h[0], h[1], h[2], Eps));
            yield return Case("layernorm", $"{S(ln)} no affine", dtype,
                () => [SeededInputs.Normal(Seed("ln0", S(ln), 0), dtype, ln, scale: 2, mean: -1)],
                (_, t) => Ops.LayerNorm(t[0], null, null, Eps),
                h => ReferenceOps.LayerNorm(h[0], null, null, Eps));
        }

        yield return Case("layernorm", $"{S(dit)} no affine (DiT)", DType.BF16,
            () => [SeededInputs.Normal(Seed("ln.dit", S(dit), 0), DType.BF16, dit, scale: 3, mean: 0.5)],
            (_, t) => Ops.LayerNorm(t[0], null, null, Eps),
            h => ReferenceOps.LayerNorm(h[0], null, null, Eps));

        // The VAE's GroupNorm: 32 groups, per-channel affine.
        foreach ((int[] shape, DType dtype) in new[] { (new[] { 2, 64, 9, 11 }, DType.F32), (new[] { 2, 64, 9, 11 }, DType.BF16), (new[] { 1, 128, 64, 64 }, DType.F32) })
        {
            yield return Case("groupnorm", $"{S(shape)} 32 groups", dtype,
                () => [SeededInputs.Normal(Seed("gn", S(shape), 0), dtype, shape, scale: 2, mean: 1), SeededInputs.Normal(Seed("gn", S(shape), 1), dtype, [shape[1]], mean: 1), SeededInputs.Normal(Seed("gn", S(shape), 2), dtype, [shape[1]])],
                (_, t) => Ops.GroupNorm(t[0], 32, t[1], t[2], Eps),
                h => ReferenceOps.GroupNorm(h[0], 32, h[1], h[2], Eps));
        }

        foreach ((int[] shape, DType dtype, InputView view) in new[]
        {
            (new[] { 5, 1001 }, DType.F32, InputView.Contiguous), (new[] { 5, 1001 }, DType.BF16, InputView.Contiguous),
            (new[] { 5, 1001 }, DType.F16, InputView.Contiguous), (new[] { 3, 4, 65 }, DType.F32, InputView.Padded),
            (new[] { 8, DitTokens }, DType.F32, InputView.Contiguous),
        })
        {
            string label = $"{S(shape)}{(view == InputView.Padded ? " row slice view" : string.Empty)}";
            yield return Case("softmax", label, dtype,
                () => [SeededInputs.Normal(Seed("softmax", label, 0), dtype, shape, scale: 4).As(view)],
                (_, t) => Ops.Softmax(t[0]),
                h => ReferenceOps.Softmax(h[0]));
        }

        int[] rows = [7, 333];
        foreach (ReduceOp op in Enum.GetValues<ReduceOp>())
        {
            foreach (DType dtype in Floats)
            {
                string name = $"reduce.{op.ToString().ToLowerInvariant()}";
                yield return Case(name, S(rows), dtype,
                    () => [SeededInputs.Normal(Seed(name, S(rows), 0), dtype, rows, mean: 0.25)],
                    (_, t) => Ops.Reduce(op, t[0]),
                    h => ReferenceOps.Reduce(op, h[0]));
            }
        }

        foreach (RopeLayout layout in Enum.GetValues<RopeLayout>())
        {
            foreach ((int[] x, int tableBatch, DType dtype, bool quick) in new[]
            {
                (new[] { 2, 37, 3, 64 }, 1, DType.F32, true), (new[] { 2, 37, 3, 64 }, 2, DType.BF16, true),
                (new[] { 1, 545, 30, 128 }, 1, DType.BF16, true), (new[] { 1, DitTokens, 30, 128 }, 1, DType.BF16, false),
            })
            {
                string label = $"{S(x)} {layout.ToString().ToLowerInvariant()}, tables [{tableBatch}, {x[1]}, {x[3] / 2}]";
                yield return Case("rope", label, dtype,
                    () => [SeededInputs.Normal(Seed("rope", label, 0), dtype, x), .. RopeTables(tableBatch, x[1], x[3])],
                    (_, t) => Ops.Rope(t[0], t[1], t[2], layout),
                    h => ReferenceOps.Rope(h[0], h[1], h[2], layout),
                    quick);
            }
        }
    }

    /// <summary>cos and sin of position · 10000^(−2i/D) (f32, as the models build them in double and store).</summary>
    private static HostInput[] RopeTables(int batch, int positions, int headDim)
    {
        int half = headDim / 2;
        var cos = new double[batch * positions * half];
        var sin = new double[cos.Length];
        for (int b = 0; b < batch; b++)
        {
            for (int p = 0; p < positions; p++)
            {
                for (int i = 0; i < half; i++)
                {
                    double angle = (p + (3 * b)) * Math.Pow(10000, -2.0 * i / headDim);
                    cos[(((b * positions) + p) * half) + i] = Math.Cos(angle);
                    sin[(((b * positions) + p) * half) + i] = Math.Sin(angle);
                }
            }
        }

        int[] shape = [batch, positions, half];
        return [SeededInputs.Of(DType.F32, shape, cos), SeededInputs.Of(DType.F32, shape, sin)];
    }
}
