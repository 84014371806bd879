using ZImageSharp.Tensors;

namespace ZImageSharp.Verification.Reference;

// Reference rotary embedding.
public static partial class ReferenceOps
{
    /// <summary>
    /// Rotates x [B, S, H, D] by the angle tables cos, sin [Bt, S, D/2] (Bt = 1 broadcasts over the batch): the pair
    /// (x1, x2) at angle i becomes (x1·cos − x2·sin, x1·sin + x2·cos). Interleaved pairs are (x[2i], x[2i+1]),
    /// half-split pairs (x[i], x[i + D/2]).
    /// </summary>
    public static HostTensor Rope(HostTensor x, HostTensor cos, HostTensor sin, RopeLayout layout)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(cos);
        ArgumentNullException.ThrowIfNull(sin);
        int batch = x.Shape[0];
        int seq = x.Shape[1];
        int heads = x.Shape[2];
        int d = x.Shape[3];
        int half = d / 2;
        HostTensor result = HostTensor.Zeros(x.Shape);
        for (int b = 0; b < batch; b++)
        {
            int bt = cos.Shape[0] == 1 ? 0 : b;
            for (int s = 0; s < seq; s++)
            {
                for (int h = 0; h < heads; h++)
                {
                    for (int i = 0; i < half; i++)
                    {
                        int i1 = layout == RopeLayout.Interleaved ? 2 * i : i;
                        int i2 = layout == RopeLayout.Interleaved ? (2 * i) + 1 : i + half;
                        double c = cos[bt, s, i];
                        double sn = sin[bt, s, i];
                        double x1 = x[b, s, h, i1];
                        double x2 = x[b, s, h, i2];
                        result[b, s, h, i1] = (x1 * c) - (x2 * sn);
                        result[b, s, h, i2] = (x1 * sn) + (x2 * c);
                    }
                }
            }
        }

        return result;
    }
}
