namespace ZImageSharp.Verification.Reference;

// Reference attention: the full score matrix, in double.
public static partial class ReferenceOps
{
    /// <summary>
    /// softmax(q·kᵀ·scale + masks)·v per (batch, query head) for q [B, Hq, Sq, D], k [B, Hkv, Sk, D], v [B, Hkv, Sk, Dv];
    /// query head h reads kv head h / (Hq/Hkv). Key j is hidden from query i when keyMask[b, j] == 0 or (causal and
    /// j &gt; i); a query that sees no key gets a zero row.
    /// </summary>
    public static HostTensor Attention(HostTensor q, HostTensor k, HostTensor v, byte[]? keyMask, bool causal, double scale)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        int batch = q.Shape[0], hq = q.Shape[1], sq = q.Shape[2], d = q.Shape[3];
        int hkv = k.Shape[1], sk = k.Shape[2], dv = v.Shape[3];
        int group = hq / hkv;
        HostTensor result = HostTensor.Zeros(batch, hq, sq, dv);
        var scores = new double[sk];
        for (int b = 0; b < batch; b++)
        {
            for (int h = 0; h < hq; h++)
            {
                int kvh = h / group;
                int qHead = ((b * hq) + h) * sq;
                int kvHead = ((b * hkv) + kvh) * sk;
                for (int i = 0; i < sq; i++)
                {
                    double max = double.NegativeInfinity;
                    for (int j = 0; j < sk; j++)
                    {
                        bool hidden = (keyMask is not null && keyMask[(b * sk) + j] == 0) || (causal && j > i);
                        double s = double.NegativeInfinity;
                        if (!hidden)
                        {
                            s = 0;
                            for (int c = 0; c < d; c++)
                            {
                                s += q.Data[((qHead + i) * d) + c] * k.Data[((kvHead + j) * d) + c];
                            }

                            s *= scale;
                        }

                        scores[j] = s;
                        max = Math.Max(max, s);
                    }

                    if (double.IsNegativeInfinity(max))
                    {
                        continue;
                    }

                    double total = 0;
                    for (int j = 0; j < sk; j++)
                    {
                        scores[j] = Math.Exp(scores[j] - max);
                        total += scores[j];
                    }

                    for (int c = 0; c < dv; c++)
                    {
                        double sum = 0;
                        for (int j = 0; j < sk; j++)
                        {
                            sum += scores[j] * v.Data[((kvHead + j) * dv) + c];
                        }

                        result.Data[((qHead + i) * dv) + c] = sum / total;
                    }
                }
            }
        }

        return result;
    }
}
