using ZImageSharp.Tensors;

namespace ZImageSharp.Verification.Reference;

/// <summary>A row-major host array of doubles with a shape: the data type of the naive reference ops.</summary>
public sealed class HostTensor
{
    /// <summary>Wraps <paramref name="data"/> (row-major) with <paramref name="shape"/>; the counts must agree.</summary>
    public HostTensor(int[] shape, double[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
        }

        if (count != data.Length)
        {
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] needs {count} values, got {data.Length}.");
        }

        Shape = shape;
        Data = data;
    }

    /// <summary>The dimensions.</summary>
    public int[] Shape { get; }

    /// <summary>The values, row-major.</summary>
    public double[] Data { get; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>Number of values.</summary>
    public int Length => Data.Length;

    /// <summary>A tensor of zeros.</summary>
    public static HostTensor Zeros(params int[] shape)
    {
        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
        }

        return new HostTensor(shape, new double[count]);
    }

    /// <summary>The tensor's logical values (any layout, any dtype) as doubles.</summary>
    public static HostTensor FromTensor(Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new HostTensor(t.Shape.ToArray(), Array.ConvertAll(t.ToFloatArray(), v => (double)v));
    }

    /// <summary>Uploads as F32, then converts to <paramref name="dtype"/> on the backend.</summary>
    public Tensor ToTensor(IBackend backend, DType dtype = DType.F32)
    {
        float[] values = Array.ConvertAll(Data, v => (float)v);
        Tensor f32 = Tensor.From<float>(backend, values, new Shape(Shape));
        if (dtype == DType.F32)
        {
            return f32;
        }

        using (f32)
        {
            return Ops.Cast(f32, dtype);
        }
    }

    /// <summary>Row-major flat index of a multi-index.</summary>
    public int Index(params int[] index)
    {
        int flat = 0;
        for (int i = 0; i < Shape.Length; i++)
        {
            flat = (flat * Shape[i]) + index[i];
        }

        return flat;
    }

    /// <summary>The value at a multi-index.</summary>
    public double this[params int[] index]
    {
        get => Data[Index(index)];
        set => Data[Index(index)] = value;
    }

    /// <summary>The shape, for messages.</summary>
    public override string ToString() => $"HostTensor[{string.Join(", ", Shape)}]";
}
