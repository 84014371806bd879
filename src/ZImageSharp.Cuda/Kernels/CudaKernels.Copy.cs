using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Kernels;

// Data movement (copy.cu): strided copies with dtype conversion, fills and gathers.
internal sealed partial class CudaKernels
{
    private const string CopyModule = "copy.cu";

    /// <inheritdoc/>
    public void Copy(TensorRef source, TensorRef destination)
    {
        long n = destination.Layout.ElementCount;
        if (n == 0)
        {
            return;
        }

        TensorDescriptor[] d = DescriptorBuilder.Elementwise(_host, source, destination);
        Launch(CopyModule, "zimage_copy", LaunchShape.Elementwise(n, _host.MultiprocessorCount), new KernelCall().Add(d[0]).Add(d[1]).Add(n));
    }

    /// <inheritdoc/>
    public void Fill(TensorRef destination, double value)
    {
        long n = destination.Layout.ElementCount;
        if (n == 0)
        {
            return;
        }

        TensorDescriptor[] d = DescriptorBuilder.Elementwise(_host, destination);
        Launch(CopyModule, "zimage_fill", LaunchShape.Elementwise(n, _host.MultiprocessorCount), new KernelCall().Add(d[0]).Add(ScalarBits(value, destination.DType)).Add(n));
    }

    /// <inheritdoc/>
    public void IndexSelect(TensorRef source, TensorRef indices, int dim, TensorRef destination)
    {
        long n = destination.Layout.ElementCount;
        if (n == 0)
        {
            return;
        }

        Shape shape = source.Shape;
        long outer = shape.Product(0, dim);
        long inner = shape.Product(dim + 1, shape.Rank);
        var call = new KernelCall()
            .Add(_host.Address(source))
            .Add(_host.Address(indices))
            .Add((int)indices.DType)
            .Add(_host.Address(destination))
            .Add(source.DType.ElementSize())
            .Add(outer)
            .Add((long)shape[dim])
            .Add((long)indices.Shape[0])
            .Add(inner);
        Launch(CopyModule, "zimage_index_select", LaunchShape.Elementwise(n, _host.MultiprocessorCount), call);
    }

    /// <summary>The bit pattern of <paramref name="value"/> stored as <paramref name="dtype"/>, the CPU backend's rule:
    /// floats round to nearest even; integers truncate toward zero and saturate (NaN becomes 0).</summary>
    internal static ulong ScalarBits(double value, DType dtype) => dtype switch
    {
        DType.F32 => BitConverter.SingleToUInt32Bits((float)value),
        DType.BF16 => BFloat16.RoundToBits((float)value),
        DType.F16 => BitConverter.HalfToUInt16Bits((Half)value),
        DType.I32 => (uint)(double.IsNaN(value) ? 0 : (int)Math.Clamp(Math.Truncate(value), int.MinValue, int.MaxValue)),
        DType.I64 => (ulong)(double.IsNaN(value) ? 0 : (long)Math.Clamp(Math.Truncate(value), long.MinValue, long.MaxValue)),
        DType.U8 => double.IsNaN(value) ? 0ul : (byte)Math.Clamp(Math.Truncate(value), 0, 255),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };
}
