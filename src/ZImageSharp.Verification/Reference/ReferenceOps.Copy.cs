using ZImageSharp.Tensors;

namespace ZImageSharp.Verification.Reference;

// Reference data movement: casts, gathers and concatenation.
public static partial class ReferenceOps
{
    /// <summary>The value of each element after storing it as <paramref name="dtype"/> (round to nearest even for
    /// floats, truncate toward zero and saturate for integers).</summary>
    public static HostTensor Cast(HostTensor x, DType dtype)
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            result[i] = RoundTo(x.Data[i], dtype);
        }

        return new HostTensor(x.Shape, result);
    }

    /// <summary>Rounds one value to what <paramref name="dtype"/> can hold.</summary>
    public static double RoundTo(double v, DType dtype) => dtype switch
    {
        DType.F32 => (float)v,
        DType.BF16 => BFloat16.FromSingle((float)v).ToSingle(),
        DType.F16 => (double)(Half)(float)v,
        DType.I32 => double.IsNaN(v) ? 0 : Math.Clamp(Math.Truncate(v), int.MinValue, int.MaxValue),
        DType.I64 => double.IsNaN(v) ? 0 : Math.Truncate(v),
        DType.U8 => double.IsNaN(v) ? 0 : Math.Clamp(Math.Truncate(v), 0, 255),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    /// <summary>result[..., i, ...] = x[..., indices[i], ...] along <paramref name="dim"/>.</summary>
    public static HostTensor IndexSelect(HostTensor x, long[] indices, int dim)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(indices);
        int[] shape = (int[])x.Shape.Clone();
        shape[dim] = indices.Length;
        HostTensor result = HostTensor.Zeros(shape);
        int[] index = new int[shape.Length];
        for (int flat = 0; flat < result.Length; flat++)
        {
            Unflatten(flat, shape, index);
            int[] source = (int[])index.Clone();
            source[dim] = (int)indices[index[dim]];
            result.Data[flat] = x[source];
        }

        return result;
    }

    /// <summary>Joins along <paramref name="dim"/>.</summary>
    public static HostTensor Concat(HostTensor[] parts, int dim)
    {
        ArgumentNullException.ThrowIfNull(parts);
        int[] shape = (int[])parts[0].Shape.Clone();
        shape[dim] = parts.Sum(p => p.Shape[dim]);
        HostTensor result = HostTensor.Zeros(shape);
        int[] index = new int[shape.Length];
        for (int flat = 0; flat < result.Length; flat++)
        {
            Unflatten(flat, shape, index);
            int position = index[dim];
            foreach (HostTensor part in parts)
            {
                if (position < part.Shape[dim])
                {
                    int[] source = (int[])index.Clone();
                    source[dim] = position;
                    result.Data[flat] = part[source];
                    break;
                }

                position -= part.Shape[dim];
            }
        }

        return result;
    }

    /// <summary>Row-major multi-index of a flat index.</summary>
    public static void Unflatten(int flat, int[] shape, int[] index)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(index);
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
    }
}
