namespace ZImageSharp.Tensors;

// Attention and rotary position embeddings.
public static partial class Ops
{
    /// <summary>
    /// Scaled dot-product attention softmax(q·kᵀ·scale + mask)·v with grouped-query heads, an optional key-padding
    /// mask and an optional causal mask. Rows of q whose every key is hidden produce zeros.
    /// </summary>
    /// <param name="q">[B, Hq, Sq, D]</param>
    /// <param name="k">[B, Hkv, Sk, D]; Hq must be a multiple of Hkv.</param>
    /// <param name="v">[B, Hkv, Sk, Dv]</param>
    /// <param name="keyMask">U8 [B, Sk] (1 = attend) or null.</param>
    /// <param name="causal">Hide key j from query i when j &gt; i.</param>
    /// <param name="scale">Logit scale; 1/√D when null.</param>
    /// <returns>[B, Hq, Sq, Dv] in q's dtype, stored as [B, Sq, Hq, Dv]: <c>Transpose(1, 2)</c> of it is contiguous.</returns>
    public static Tensor Attention(Tensor q, Tensor k, Tensor v, Tensor? keyMask = null, bool causal = false, float? scale = null)
    {
        const string op = "attention";
        OpChecks.NotNull(op, q, nameof(q));
        OpChecks.NotNull(op, k, nameof(k));
        OpChecks.NotNull(op, v, nameof(v));
        OpChecks.SameBackend(op, q, k, nameof(k));
        OpChecks.SameBackend(op, q, v, nameof(v));
        OpChecks.Float(op, q, nameof(q));
        OpChecks.Float(op, k, nameof(k));
        OpChecks.Float(op, v, nameof(v));
        OpChecks.Rank(op, q, 4, nameof(q));
        OpChecks.Rank(op, k, 4, nameof(k));
        OpChecks.Rank(op, v, 4, nameof(v));
        var (batch, hq, sq, d) = q.Shape.Dims4();
        var (kb, hkv, sk, kd) = k.Shape.Dims4();
        var (vb, vh, vs, dv) = v.Shape.Dims4();
        if (kb != batch || vb != batch || vh != hkv || vs != sk || kd != d)
        {
            throw new ShapeMismatchException(op, $"q {q.Shape}, k {k.Shape}, v {v.Shape} do not fit [B, Hq, Sq, D], [B, Hkv, Sk, D], [B, Hkv, Sk, Dv].");
        }

        if (hkv == 0 || hq % hkv != 0)
        {
            throw new ShapeMismatchException(op, $"{hq} query heads are not a multiple of {hkv} key/value heads.");
        }

        if (keyMask is not null)
        {
            OpChecks.NotNull(op, keyMask, nameof(keyMask));
            OpChecks.SameBackend(op, q, keyMask, nameof(keyMask));
            if (keyMask.DType != DType.U8 || keyMask.Rank != 2 || keyMask.Shape[0] != batch || keyMask.Shape[1] != sk)
            {
                throw new ShapeMismatchException(op, $"keyMask must be U8 [{batch}, {sk}], found {keyMask.DType} {keyMask.Shape}.");
            }
        }

        float s = scale ?? 1f / MathF.Sqrt(d);
        if (!q.Backend.Supports(OpKind.Attention, q.DType))
        {
            return Composite.Attention(q, k, v, keyMask, causal, s);
        }

        using Tensor rq = OpChecks.Rows(q);
        using Tensor rk = OpChecks.Rows(k);
        using Tensor rv = OpChecks.Rows(v);
        using Tensor? mask = keyMask is null ? null : OpChecks.Packed(keyMask);
        using Tensor storage = Tensor.Empty(q.Backend, new Shape(batch, sq, hq, dv), q.DType);
        Tensor result = storage.Transpose(1, 2);
        q.Backend.Kernels.Attention(rq.ToRef(), rk.ToRef(), rv.ToRef(), mask?.ToRef(), causal, s, result.ToRef());
        return result;
    }

    /// <summary>Rotary position embedding of x [B, S, H, D] with per-token angle tables.</summary>
    /// <param name="x">[B, S, H, D], D even.</param>
    /// <param name="cos">[B or 1, S, D/2] cosines of the angles (converted to contiguous F32 if needed).</param>
    /// <param name="sin">[B or 1, S, D/2] sines.</param>
    /// <param name="layout">Which elements pair up (interleaved for the Z-Image DiT, half-split for Qwen3).</param>
    /// <returns>x's shape and dtype; the rotation is computed in f32.</returns>
    public static Tensor Rope(Tensor x, Tensor cos, Tensor sin, RopeLayout layout)
    {
        const string op = "rope";
        OpChecks.NotNull(op, x, nameof(x));
        OpChecks.NotNull(op, cos, nameof(cos));
        OpChecks.NotNull(op, sin, nameof(sin));
        OpChecks.SameBackend(op, x, cos, nameof(cos));
        OpChecks.SameBackend(op, x, sin, nameof(sin));
        OpChecks.Float(op, x, nameof(x));
        OpChecks.Float(op, cos, nameof(cos));
        OpChecks.Float(op, sin, nameof(sin));
        OpChecks.Rank(op, x, 4, nameof(x));
        var (batch, seq, _, d) = x.Shape.Dims4();
        if (d % 2 != 0)
        {
            throw new ShapeMismatchException(op, $"head dimension {d} of x {x.Shape} is odd.");
        }

        if (cos.Shape != sin.Shape || cos.Rank != 3 || (cos.Shape[0] != 1 && cos.Shape[0] != batch) || cos.Shape[1] != seq || cos.Shape[2] != d / 2)
        {
            throw new ShapeMismatchException(op, $"cos {cos.Shape} and sin {sin.Shape} must both be [1 or {batch}, {seq}, {d / 2}] for x {x.Shape}.");
        }

        if (!x.Backend.Supports(OpKind.Rope, x.DType))
        {
            return Composite.Rope(x, cos, sin, layout);
        }

        using Tensor rows = OpChecks.Rows(x);
        using Tensor c = OpChecks.Packed(cos, DType.F32);
        using Tensor sn = OpChecks.Packed(sin, DType.F32);
        Tensor result = Tensor.Empty(x.Backend, x.Shape, x.DType);
        x.Backend.Kernels.Rope(rows.ToRef(), c.ToRef(), sn.ToRef(), layout, result.ToRef());
        return result;
    }
}
