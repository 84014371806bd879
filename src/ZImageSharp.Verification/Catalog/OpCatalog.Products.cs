using ZImageSharp.Tensors;
using ZImageSharp.Verification.Reference;

namespace ZImageSharp.Verification;

// Products: matmul (bias, transposed operands, batch broadcast, DiT-sized), conv2d, nearest upsampling, attention.
public static partial class OpCatalog
{
    private static IEnumerable<OpCase> Products()
    {
        foreach (DType dtype in new[] { DType.F32, DType.BF16, DType.F16 })
        {
            int[] a = [2, 33, 65], b = [2, 65, 17];
            yield return Case("matmul", $"{S(a)}·{S(b)}", dtype,
                () => [SeededInputs.Normal(Seed("mm", S(a), 0), dtype, a), SeededInputs.Normal(Seed("mm", S(b), 1), dtype, b)],
                (_, t) => Ops.MatMul(t[0], t[1]),
                h => ReferenceOps.MatMul(h[0], h[1]));
        }

        foreach (DType dtype in Floats)
        {
            int[] a = [3, 47, 29], b = [3, 29, 40];
            yield return Case("matmul", $"{S(a)}ᵀ·{S(b)} +bias (a transposed view)", dtype,
                () => [SeededInputs.Normal(Seed("mm.ta", S(a), 0), dtype, a).As(InputView.Transposed), SeededInputs.Normal(Seed("mm.ta", S(b), 1), dtype, b), SeededInputs.Normal(Seed("mm.ta", "bias", 2), dtype, [40])],
                (_, t) => Ops.MatMul(t[0], t[1], t[2]),
                h => ReferenceOps.MatMul(h[0], h[1], h[2]));
            int[] c = [3, 1, 20, 30], d = [4, 30, 10];
            yield return Case("matmul", $"{S(c)}·{S(d)} (batch broadcast)", dtype,
                () => [SeededInputs.Normal(Seed("mm.bb", S(c), 0), dtype, c), SeededInputs.Normal(Seed("mm.bb", S(d), 1), dtype, d)],
                (_, t) => Ops.MatMul(t[0], t[1]),
                h => ReferenceOps.MatMul(h[0], h[1]));
        }

        // Linear layers: x·Wᵀ with W [out, in] consumed through its transposed view (the models' weights).
        foreach ((int tokens, int inFeatures, int outFeatures, DType dtype, DType output, bool quick) in new[]
        {
            (67, 301, 129, DType.F32, DType.F32, true), (67, 301, 129, DType.BF16, DType.BF16, true),
            (67, 301, 129, DType.BF16, DType.F32, true), (67, DitHidden, 256, DType.BF16, DType.BF16, true),
            (DitTokens, DitHidden, DitHidden, DType.BF16, DType.BF16, false),
        })
        {
            int[] x = [1, tokens, inFeatures], w = [outFeatures, inFeatures];
            string label = $"{S(x)}·{S(w)}ᵀ +bias{(dtype != output ? $" {Name(dtype)} in, {Name(output)} out" : string.Empty)}";
            yield return Case("matmul", label, output,
                () => [SeededInputs.Normal(Seed("linear", label, 0), dtype, x), SeededInputs.Normal(Seed("linear", label, 1), dtype, w, scale: 1 / Math.Sqrt(inFeatures)), SeededInputs.Normal(Seed("linear", label, 2), dtype, [outFeatures])],
                (_, t) => Ops.Linear(t[0], t[1], t[2], output),
                h => ReferenceOps.Linear(h[0], h[1], h[2]),
                quick);
        }

        // Convolutions of the VAE: 3×3 same padding, 1×1, the asymmetric (0, 1, 0, 1) stride-2 downsample.
        foreach ((int[] x, int[] w, Conv2dParams p, bool bias, DType dtype) in new[]
        {
            (new[] { 1, 5, 17, 19 }, new[] { 7, 5, 3, 3 }, Conv2dParams.Symmetric(1, 1), true, DType.F32),
            (new[] { 1, 5, 17, 19 }, new[] { 7, 5, 3, 3 }, Conv2dParams.Symmetric(1, 1), true, DType.BF16),
            (new[] { 2, 6, 9, 9 }, new[] { 4, 6, 1, 1 }, Conv2dParams.Symmetric(1, 0), false, DType.F32),
            (new[] { 1, 8, 15, 16 }, new[] { 8, 8, 3, 3 }, new Conv2dParams(2, 0, 1, 0, 1), true, DType.F32),
            (new[] { 1, 64, 32, 32 }, new[] { 64, 64, 3, 3 }, Conv2dParams.Symmetric(1, 1), true, DType.BF16),
        })
        {
            string label = $"{S(x)}⊛{S(w)} stride {p.Stride} pad ({p.PadTop}, {p.PadBottom}, {p.PadLeft}, {p.PadRight}){(bias ? " +bias" : string.Empty)}";
            yield return Case("conv2d", label, dtype,
                () => [SeededInputs.Normal(Seed("conv", label, 0), dtype, x), SeededInputs.Normal(Seed("conv", label, 1), dtype, w, scale: 0.3), SeededInputs.Normal(Seed("conv", label, 2), dtype, [w[0]])],
                (_, t) => Ops.Conv2d(t[0], t[1], bias ? t[2] : null, p),
                h => ReferenceOps.Conv2d(h[0], h[1], bias ? h[2] : null, p));
        }

        foreach ((int[] x, int scale, DType dtype) in new[] { (new[] { 2, 3, 5, 7 }, 2, DType.F32), (new[] { 2, 3, 5, 7 }, 2, DType.BF16), (new[] { 1, 4, 3, 6 }, 3, DType.F16) })
        {
            yield return Case("upsample", $"{S(x)} ×{scale}", dtype,
                () => [SeededInputs.Normal(Seed("up", S(x), 0), dtype, x)],
                (_, t) => Ops.UpsampleNearest(t[0], scale),
                h => ReferenceOps.UpsampleNearest(h[0], scale),
                bound: NumericBound.Exact);
        }

        foreach (OpCase c in Attention())
        {
            yield return c;
        }
    }

    private static IEnumerable<OpCase> Attention()
    {
        // q [B, Hq, Sq, D], k [B, Hkv, Sk, D], v [B, Hkv, Sk, Dv]; the mask is U8 [B, Sk] (1 = attend).
        foreach ((int b, int hq, int hkv, int sq, int sk, int d, int dv, string mask, bool causal, DType dtype, bool quick) in new[]
        {
            (1, 4, 4, 33, 47, 64, 64, "none", false, DType.F32, true),
            (1, 4, 2, 33, 47, 64, 32, "none", false, DType.BF16, true),
            (2, 4, 1, 17, 29, 64, 64, "padding", false, DType.F32, true),
            (2, 4, 2, 17, 29, 64, 64, "padding", false, DType.BF16, true),
            (1, 2, 2, 40, 40, 32, 32, "none", true, DType.F32, true),
            (1, 4, 2, 40, 40, 64, 64, "first key", true, DType.BF16, true),
            (2, 2, 2, 9, 12, 16, 16, "none of batch 1", false, DType.F32, true),
            (1, 4, 4, 257, 257, 128, 128, "none", false, DType.BF16, true),
            (1, 8, 8, 1056, 1056, 128, 128, "none", false, DType.BF16, false),
        })
        {
            string label = $"q [{b}, {hq}, {sq}, {d}] kv [{b}, {hkv}, {sk}, {d}/{dv}]{(hq != hkv ? " GQA" : string.Empty)}"
                + $"{(mask == "none" ? string.Empty : $" mask: {mask}")}{(causal ? " causal" : string.Empty)}";
            double scale = 1 / Math.Sqrt(d);
            yield return Case("attention", label, dtype,
                () =>
                [
                    SeededInputs.Normal(Seed("attn", label, 0), dtype, [b, hq, sq, d]),
                    SeededInputs.Normal(Seed("attn", label, 1), dtype, [b, hkv, sk, d]),
                    SeededInputs.Normal(Seed("attn", label, 2), dtype, [b, hkv, sk, dv]),
                    KeyMask(mask, b, sk),
                ],
                (_, t) => Ops.Attention(t[0], t[1], t[2], mask == "none" ? null : t[3], causal, (float)scale),
                h => ReferenceOps.Attention(h[0], h[1], h[2], mask == "none" ? null : Array.ConvertAll(h[3].Data, v => (byte)v), causal, (float)scale),
                quick);
        }
    }

    /// <summary>"padding": each batch's last keys hidden (a short caption padded to the batch's longest);
    /// "first key": key 0 hidden, so with causal masking query 0 sees no key at all and must get a zero row;
    /// "none of batch 1": every key of the second batch hidden (all its rows zero).</summary>
    private static HostInput KeyMask(string mask, int batch, int keys)
    {
        var values = new double[batch * keys];
        for (int b = 0; b < batch; b++)
        {
            for (int j = 0; j < keys; j++)
            {
                values[(b * keys) + j] = mask switch
                {
                    "padding" => j < keys - (5 * (b + 1)) ? 1 : 0,
                    "first key" => j == 0 ? 0 : 1,
                    "none of batch 1" => b == 1 ? 0 : 1,
                    _ => 1,
                };
            }
        }

        return new HostInput([batch, keys], DType.U8, values);
    }
}
