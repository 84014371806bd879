using ZImageSharp.Tensors;

namespace ZImageSharp.Verification.Reference;

// Reference convolution.
public static partial class ReferenceOps
{
    /// <summary>2-D cross-correlation of x [N, Cin, H, W] with weight [Cout, Cin, KH, KW] (+ bias [Cout]), zero padding,
    /// dilation 1: y[n, co, oy, ox] = bias[co] + Σ x[n, ci, oy·s + ky − padTop, ox·s + kx − padLeft] · w[co, ci, ky, kx].</summary>
    public static HostTensor Conv2d(HostTensor x, HostTensor weight, HostTensor? bias, Conv2dParams p)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        int n = x.Shape[0], cin = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        int cout = weight.Shape[0], kh = weight.Shape[2], kw = weight.Shape[3];
        int oh = ((h + p.PadTop + p.PadBottom - kh) / p.Stride) + 1;
        int ow = ((w + p.PadLeft + p.PadRight - kw) / p.Stride) + 1;
        HostTensor y = HostTensor.Zeros(n, cout, oh, ow);
        for (int b = 0; b < n; b++)
        {
            for (int co = 0; co < cout; co++)
            {
                for (int oy = 0; oy < oh; oy++)
                {
                    for (int ox = 0; ox < ow; ox++)
                    {
                        double sum = bias is null ? 0.0 : bias.Data[co];
                        for (int ci = 0; ci < cin; ci++)
                        {
                            for (int ky = 0; ky < kh; ky++)
                            {
                                int iy = (oy * p.Stride) + ky - p.PadTop;
                                if (iy < 0 || iy >= h)
                                {
                                    continue;
                                }

                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int ix = (ox * p.Stride) + kx - p.PadLeft;
                                    if (ix >= 0 && ix < w)
                                    {
                                        sum += x.Data[(((((b * cin) + ci) * h) + iy) * w) + ix] * weight.Data[(((((co * cin) + ci) * kh) + ky) * kw) + kx];
                                    }
                                }
                            }
                        }

                        y.Data[(((((b * cout) + co) * oh) + oy) * ow) + ox] = sum;
                    }
                }
            }
        }

        return y;
    }
}
