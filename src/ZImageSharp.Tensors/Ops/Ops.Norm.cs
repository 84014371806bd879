namespace ZImageSharp.Tensors;

// Normalisations and softmax: statistics in f32, result in the input's dtype.
public static partial class Ops
{
    /// <summary>x / √(mean(x²) + eps) · weight over the last dimension (diffusers/HF RMSNorm, f32 statistics).</summary>
    /// <param name="x">[..., D]</param>
    /// <param name="weight">[D] or null.</param>
    /// <param name="eps">Added to the mean square.</param>
    public static Tensor RmsNorm(Tensor x, Tensor? weight, float eps)
    {
        const string op = "rms_norm";
        OpChecks.NotNull(op, x, nameof(x));
        OpChecks.Float(op, x, nameof(x));
        OpChecks.MinRank(op, x, 1, nameof(x));
        OpChecks.Vector(op, weight, x.Shape[-1], nameof(weight), x);
        if (!x.Backend.Supports(OpKind.RmsNorm, x.DType))
        {
            return Composite.RmsNorm(x, weight, eps);
        }

        using Tensor rows = OpChecks.Rows(x);
        using Tensor? w = weight is null ? null : OpChecks.Packed(weight);
        Tensor result = Tensor.Empty(x.Backend, x.Shape, x.DType);
        x.Backend.Kernels.RmsNorm(rows.ToRef(), w?.ToRef(), eps, result.ToRef());
        return result;
    }

    /// <summary>
    /// residual + RmsNorm(x, weight)·scale in one pass: the DiT's "norm, then modulate by 1 + scale" (no residual) and
    /// "post-norm, then tanh-gate, then residual add" chains without their intermediate tensors. Equal to the composite
    /// of <see cref="RmsNorm(Tensor, Tensor?, float)"/>, a multiply and an add.
    /// </summary>
    /// <param name="x">[..., D]</param>
    /// <param name="weight">[D] or null.</param>
    /// <param name="eps">Added to the mean square.</param>
    /// <param name="scale">Broadcastable to x (e.g. [B, 1, D] for x [B, S, D]), or null for 1.</param>
    /// <param name="residual">x's shape, or null for 0.</param>
    /// <returns>x's shape and dtype.</returns>
    public static Tensor RmsNorm(Tensor x, Tensor? weight, float eps, Tensor? scale, Tensor? residual)
    {
        const string op = "rms_norm";
        if (scale is null && residual is null)
        {
            return RmsNorm(x, weight, eps);
        }

        OpChecks.NotNull(op, x, nameof(x));
        OpChecks.Float(op, x, nameof(x));
        OpChecks.MinRank(op, x, 1, nameof(x));
        OpChecks.Vector(op, weight, x.Shape[-1], nameof(weight), x);
        if (scale is not null)
        {
            OpChecks.NotNull(op, scale, nameof(scale));
            OpChecks.SameBackend(op, x, scale, nameof(scale));
            OpChecks.Float(op, scale, nameof(scale));
            if (Shape.Broadcast(x.Shape, scale.Shape, op) != x.Shape)
            {
                throw new ShapeMismatchException(op, $"scale {scale.Shape} must broadcast to x {x.Shape} without growing it.");
            }
        }

        if (residual is not null)
        {
            OpChecks.NotNull(op, residual, nameof(residual));
            OpChecks.SameBackend(op, x, residual, nameof(residual));
            OpChecks.Float(op, residual, nameof(residual));
            if (residual.Shape != x.Shape)
            {
                throw new ShapeMismatchException(op, $"residual must have x's shape {x.Shape}, found {residual.Shape}.");
            }
        }

        if (!x.Backend.Supports(OpKind.RmsNormScaled, x.DType))
        {
            return Composite.RmsNormScaled(x, weight, eps, scale, residual);
        }

        using Tensor rows = OpChecks.Rows(x);
        using Tensor? w = weight is null ? null : OpChecks.Packed(weight);
        using Tensor? s = scale is null ? null : OpChecks.Rows(scale);
        using Tensor? r = residual is null ? null : OpChecks.Rows(residual);
        Tensor result = Tensor.Empty(x.Backend, x.Shape, x.DType);
        TensorRef? sr = s is null ? null : new TensorRef(s.Storage, s.Layout.BroadcastTo(x.Shape), s.DType);
        x.Backend.Kernels.RmsNormScaled(rows.ToRef(), w?.ToRef(), eps, sr, r?.ToRef(), result.ToRef());
        return result;
    }

    /// <summary>(x − mean)/√(var + eps)·weight + bias over the last dimension (biased variance, f32 statistics).</summary>
    /// <param name="x">[..., D]</param>
    /// <param name="weight">[D] or null (no affine scale).</param>
    /// <param name="bias">[D] or null.</param>
    /// <param name="eps">Added to the variance.</param>
    public static Tensor LayerNorm(Tensor x, Tensor? weight, Tensor? bias, float eps)
    {
        const string op = "layer_norm";
        OpChecks.NotNull(op, x, nameof(x));
        OpChecks.Float(op, x, nameof(x));
        OpChecks.MinRank(op, x, 1, nameof(x));
        OpChecks.Vector(op, weight, x.Shape[-1], nameof(weight), x);
        OpChecks.Vector(op, bias, x.Shape[-1], nameof(bias), x);
        if (!x.Backend.Supports(OpKind.LayerNorm, x.DType))
        {
            return Composite.LayerNorm(x, weight, bias, eps);
        }

        using Tensor rows = OpChecks.Rows(x);
        using Tensor? w = weight is null ? null : OpChecks.Packed(weight);
        using Tensor? b = bias is null ? null : OpChecks.Packed(bias);
        Tensor result = Tensor.Empty(x.Backend, x.Shape, x.DType);
        x.Backend.Kernels.LayerNorm(rows.ToRef(), w?.ToRef(), b?.ToRef(), eps, result.ToRef());
        return result;
    }

    /// <summary>Group normalisation of [N, C, ...] (PyTorch <c>GroupNorm</c>): per sample and group of C/groups channels.</summary>
    /// <param name="x">[N, C, *spatial]</param>
    /// <param name="groups">Number of groups; must divide C.</param>
    /// <param name="weight">[C] or null.</param>
    /// <param name="bias">[C] or null.</param>
    /// <param name="eps">Added to the variance.</param>
    public static Tensor GroupNorm(Tensor x, int groups, Tensor? weight, Tensor? bias, float eps)
    {
        const string op = "group_norm";
        OpChecks.NotNull(op, x, nameof(x));
        OpChecks.Float(op, x, nameof(x));
        OpChecks.MinRank(op, x, 2, nameof(x));
        int channels = x.Shape[1];
        if (groups <= 0 || channels % groups != 0)
        {
            throw new ShapeMismatchException(op, $"{groups} groups do not divide {channels} channels (shape {x.Shape}).");
        }

        OpChecks.Vector(op, weight, channels, nameof(weight), x);
        OpChecks.Vector(op, bias, channels, nameof(bias), x);
        if (!x.Backend.Supports(OpKind.GroupNorm, x.DType))
        {
            return Composite.GroupNorm(x, groups, weight, bias, eps);
        }

        using Tensor packed = OpChecks.Packed(x);
        using Tensor flat = packed.Reshape(x.Shape[0], channels, -1);
        using Tensor? w = weight is null ? null : OpChecks.Packed(weight);
        using Tensor? b = bias is null ? null : OpChecks.Packed(bias);
        Tensor result = Tensor.Empty(x.Backend, x.Shape, x.DType);
        var dst = new TensorRef(result.Storage, new Layout(flat.Shape), result.DType);
        x.Backend.Kernels.GroupNorm(flat.ToRef(), groups, w?.ToRef(), b?.ToRef(), eps, dst);
        return result;
    }

    /// <summary>Softmax over the last dimension (max-subtracted, f32 sums).</summary>
    public static Tensor Softmax(Tensor x)
    {
        const string op = "softmax";
        OpChecks.NotNull(op, x, nameof(x));
        OpChecks.Float(op, x, nameof(x));
        OpChecks.MinRank(op, x, 1, nameof(x));
        OpChecks.Supported(OpKind.Softmax, x);
        using Tensor rows = OpChecks.Rows(x);
        Tensor result = Tensor.Empty(x.Backend, x.Shape, x.DType);
        x.Backend.Kernels.Softmax(rows.ToRef(), result.ToRef());
        return result;
    }
}
