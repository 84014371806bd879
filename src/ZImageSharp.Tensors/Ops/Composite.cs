namespace ZImageSharp.Tensors;

/// <summary>
/// The fused ops written with primitive ops only (element-wise, reductions, matmul, copies). They are the fallback
/// for backends without the fused kernel and the reference the fused kernels are tested against. Statistics are
/// computed in f32; the result has the input's dtype.
/// </summary>
public static class Composite
{
    /// <summary>RMS normalisation over the last dimension, see <see cref="Ops.RmsNorm(Tensor, Tensor?, float)"/>.</summary>
    public static Tensor RmsNorm(Tensor x, Tensor? weight, float eps)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = TensorScope.Begin();
        Tensor xf = ToF32(x);
        Tensor meanSquare = Ops.Mean(Ops.Square(xf), keepDim: true);
        Tensor y = xf * Ops.Rsqrt(meanSquare + eps);
        if (weight is not null)
        {
            y *= ToF32(weight);
        }

        return scope.Keep(Ops.Cast(y, x.DType));
    }

    /// <summary>residual + RmsNorm(x, weight)·scale, see <see cref="Ops.RmsNorm(Tensor, Tensor?, float, Tensor?, Tensor?)"/>.</summary>
    public static Tensor RmsNormScaled(Tensor x, Tensor? weight, float eps, Tensor? scale, Tensor? residual)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = TensorScope.Begin();
        Tensor y = Ops.RmsNorm(x, weight, eps);
        if (scale is not null)
        {
            y *= scale;
        }

        if (residual is not null)
        {
            y = residual + y;
        }

        return scope.Keep(Ops.Cast(y, x.DType));
    }

    /// <summary>Layer normalisation over the last dimension, see <see cref="Ops.LayerNorm"/>.</summary>
    public static Tensor LayerNorm(Tensor x, Tensor? weight, Tensor? bias, float eps)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = TensorScope.Begin();
        Tensor xf = ToF32(x);
        Tensor centered = xf - Ops.Mean(xf, keepDim: true);
        Tensor variance = Ops.Mean(Ops.Square(centered), keepDim: true);
        Tensor y = centered * Ops.Rsqrt(variance + eps);
        if (weight is not null)
        {
            y *= ToF32(weight);
        }

        if (bias is not null)
        {
            y += ToF32(bias);
        }

        return scope.Keep(Ops.Cast(y, x.DType));
    }

    /// <summary>Group normalisation of [N, C, ...], see <see cref="Ops.GroupNorm"/>.</summary>
    public static Tensor GroupNorm(Tensor x, int groups, Tensor? weight, Tensor? bias, float eps)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = TensorScope.Begin();
        int n = x.Shape[0];
        int c = x.Shape[1];
        Tensor grouped = ToF32(x).Reshape(n, groups, -1);
        Tensor centered = grouped - Ops.Mean(grouped, keepDim: true);
        Tensor variance = Ops.Mean(Ops.Square(centered), keepDim: true);
        Tensor y = (centered * Ops.Rsqrt(variance + eps)).Reshape(n, c, -1);
        if (weight is not null)
        {
            y *= ToF32(weight).Reshape(c, 1);
        }

        if (bias is not null)
        {
            y += ToF32(bias).Reshape(c, 1);
        }

        return scope.Keep(Ops.Cast(y.Reshape(x.Shape.ToArray()), x.DType));
    }

    /// <summary>Softmax over the last dimension, see <see cref="Ops.Softmax"/>.</summary>
    public static Tensor Softmax(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = TensorScope.Begin();
        Tensor xf = ToF32(x);
        Tensor e = Ops.Exp(xf - Ops.Max(xf, keepDim: true));
        return scope.Keep(Ops.Cast(e / Ops.Sum(e, keepDim: true), x.DType));
    }

    /// <summary>silu(gate)·up, see <see cref="Ops.SwiGlu"/>.</summary>
    public static Tensor SwiGlu(Tensor gate, Tensor up)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(up);
        using var scope = TensorScope.Begin();
        return scope.Keep(Ops.Mul(Ops.Silu(gate), up));
    }

    /// <summary>Rotary embedding, see <see cref="Ops.Rope"/>.</summary>
    public static Tensor Rope(Tensor x, Tensor cos, Tensor sin, RopeLayout layout)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(cos);
        ArgumentNullException.ThrowIfNull(sin);
        using var scope = TensorScope.Begin();
        var (b, s, h, d) = x.Shape.Dims4();
        Tensor xf = ToF32(x);
        Tensor c = ToF32(cos).Unsqueeze(2);
        Tensor sn = ToF32(sin).Unsqueeze(2);
        Tensor x1, x2;
        if (layout == RopeLayout.Interleaved)
        {
            Tensor pairs = xf.Reshape(b, s, h, d / 2, 2);
            x1 = pairs.Select(-1, 0);
            x2 = pairs.Select(-1, 1);
        }
        else
        {
            x1 = xf.Narrow(-1, 0, d / 2);
            x2 = xf.Narrow(-1, d / 2, d / 2);
        }

        Tensor o1 = (x1 * c) - (x2 * sn);
        Tensor o2 = (x1 * sn) + (x2 * c);
        Tensor y = layout == RopeLayout.Interleaved
            ? Ops.Stack([o1, o2], -1).Reshape(b, s, h, d)
            : Ops.Concat([o1, o2], -1);
        return scope.Keep(Ops.Cast(y, x.DType));
    }

    /// <summary>
    /// Attention as matmul → masked softmax → matmul, see <see cref="Ops.Attention"/>. Masks are built on the host
    /// as additive f32 biases; hidden keys get −1e30 (not −∞, so a fully hidden row stays finite and is then zeroed).
    /// </summary>
    public static Tensor Attention(Tensor q, Tensor k, Tensor v, Tensor? keyMask, bool causal, float scale)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        using var scope = TensorScope.Begin();
        var (batch, hq, sq, _) = q.Shape.Dims4();
        var (_, hkv, sk, d) = k.Shape.Dims4();
        int dv = v.Shape[3];
        int group = hq / hkv;
        Tensor kf = ExpandHeads(ToF32(k), group, d);
        Tensor vf = ExpandHeads(ToF32(v), group, dv);
        Tensor logits = Ops.MatMul(ToF32(q), kf.TransposeLast()) * scale;

        byte[]? mask = keyMask?.ToArray<byte>();
        var bias = new float[batch * sq * sk];
        var visible = new float[batch * sq];
        for (int bi = 0; bi < batch; bi++)
        {
            for (int i = 0; i < sq; i++)
            {
                bool any = false;
                for (int j = 0; j < sk; j++)
                {
                    bool hidden = (mask is not null && mask[(bi * sk) + j] == 0) || (causal && j > i);
                    bias[(((bi * sq) + i) * sk) + j] = hidden ? -1e30f : 0f;
                    any |= !hidden;
                }

                visible[(bi * sq) + i] = any ? 1f : 0f;
            }
        }

        Tensor biasT = Tensor.From<float>(q.Backend, bias, new Shape(batch, 1, sq, sk));
        Tensor visibleT = Tensor.From<float>(q.Backend, visible, new Shape(batch, 1, sq, 1));
        Tensor probs = Softmax(logits + biasT);
        Tensor output = Ops.MatMul(probs, vf) * visibleT;
        return scope.Keep(Ops.Cast(output, q.DType));
    }

    /// <summary>[B, Hkv, S, D] → [B, Hkv·group, S, D], repeating each kv head for its group of query heads.</summary>
    private static Tensor ExpandHeads(Tensor x, int group, int d)
    {
        if (group == 1)
        {
            return x;
        }

        var (b, h, s, _) = x.Shape.Dims4();
        return x.Unsqueeze(2).BroadcastTo(new Shape(b, h, group, s, d)).Reshape(b, h * group, s, d);
    }

    private static Tensor ToF32(Tensor t) => t.DType == DType.F32 ? t.View(t.Layout) : Ops.Cast(t, DType.F32);
}
