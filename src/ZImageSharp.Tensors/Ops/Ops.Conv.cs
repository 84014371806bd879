namespace ZImageSharp.Tensors;

// Image ops for the VAE: convolution and nearest-neighbour upsampling, NCHW.
public static partial class Ops
{
    /// <summary>2-D convolution (cross-correlation, as PyTorch), dilation 1, one group.</summary>
    /// <param name="x">[N, Cin, H, W]</param>
    /// <param name="weight">[Cout, Cin, KH, KW]</param>
    /// <param name="bias">[Cout] or null.</param>
    /// <param name="parameters">Stride and zero padding.</param>
    /// <returns>[N, Cout, OH, OW] in x's dtype.</returns>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, Conv2dParams parameters)
    {
        const string op = "conv2d";
        OpChecks.NotNull(op, x, nameof(x));
        OpChecks.NotNull(op, weight, nameof(weight));
        OpChecks.SameBackend(op, x, weight, nameof(weight));
        OpChecks.Float(op, x, nameof(x));
        OpChecks.Float(op, weight, nameof(weight));
        OpChecks.Rank(op, x, 4, nameof(x));
        OpChecks.Rank(op, weight, 4, nameof(weight));
        OpChecks.Supported(OpKind.Conv2d, x);
        var (n, cin, h, w) = x.Shape.Dims4();
        var (cout, wcin, kh, kw) = weight.Shape.Dims4();
        if (wcin != cin)
        {
            throw new ShapeMismatchException(op, $"input {x.Shape} has {cin} channels, weight {weight.Shape} expects {wcin}.");
        }

        OpChecks.Vector(op, bias, cout, nameof(bias), x);
        var p = parameters;
        if (p.Stride < 1 || p.PadTop < 0 || p.PadBottom < 0 || p.PadLeft < 0 || p.PadRight < 0)
        {
            throw new TensorOpException(op, $"invalid parameters {p}.");
        }

        int oh = Conv2dParams.OutputSize(h, kh, p.Stride, p.PadTop, p.PadBottom);
        int ow = Conv2dParams.OutputSize(w, kw, p.Stride, p.PadLeft, p.PadRight);
        if (oh <= 0 || ow <= 0 || h + p.PadTop + p.PadBottom < kh || w + p.PadLeft + p.PadRight < kw)
        {
            throw new ShapeMismatchException(op, $"kernel {kh}×{kw} does not fit input {h}×{w} with padding {p}.");
        }

        using Tensor px = OpChecks.Packed(x);
        using Tensor pw = OpChecks.Packed(weight);
        using Tensor? pb = bias is null ? null : OpChecks.Packed(bias);
        Tensor result = Tensor.Empty(x.Backend, new Shape(n, cout, oh, ow), x.DType);
        x.Backend.Kernels.Conv2d(px.ToRef(), pw.ToRef(), pb?.ToRef(), p, result.ToRef());
        return result;
    }

    /// <summary>Nearest-neighbour upsampling of [N, C, H, W] by an integer factor (PyTorch <c>interpolate(mode="nearest")</c>).</summary>
    public static Tensor UpsampleNearest(Tensor x, int scale = 2)
    {
        const string op = "upsample_nearest";
        OpChecks.NotNull(op, x, nameof(x));
        OpChecks.Rank(op, x, 4, nameof(x));
        OpChecks.Supported(OpKind.UpsampleNearest, x);
        if (scale < 1)
        {
            throw new TensorOpException(op, $"scale {scale} must be at least 1.");
        }

        var (n, c, h, w) = x.Shape.Dims4();
        using Tensor px = OpChecks.Packed(x);
        Tensor result = Tensor.Empty(x.Backend, new Shape(n, c, checked(h * scale), checked(w * scale)), x.DType);
        x.Backend.Kernels.UpsampleNearest(px.ToRef(), scale, result.ToRef());
        return result;
    }
}
