namespace ZImageSharp.Verification.Reference;

// Reference nearest-neighbour upsampling.
public static partial class ReferenceOps
{
    /// <summary>result[n, c, y, x] = x[n, c, y / scale, x / scale] for x [N, C, H, W].</summary>
    public static HostTensor UpsampleNearest(HostTensor x, int scale)
    {
        ArgumentNullException.ThrowIfNull(x);
        int n = x.Shape[0];
        int c = x.Shape[1];
        int h = x.Shape[2];
        int w = x.Shape[3];
        HostTensor result = HostTensor.Zeros(n, c, h * scale, w * scale);
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int y = 0; y < h * scale; y++)
                {
                    for (int xo = 0; xo < w * scale; xo++)
                    {
                        result[i, ch, y, xo] = x[i, ch, y / scale, xo / scale];
                    }
                }
            }
        }

        return result;
    }
}
