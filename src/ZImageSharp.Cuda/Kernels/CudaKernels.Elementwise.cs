using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Kernels;

// Element-wise math (elementwise.cu): every operand is a strided view with the destination's shape; the views are
// collapsed jointly so packed tensors run with one index division per element.
internal sealed partial class CudaKernels
{
    private const string ElementwiseModule = "elementwise.cu";

    /// <inheritdoc/>
    public void Unary(UnaryOp op, TensorRef x, TensorRef destination)
    {
        long n = destination.Layout.ElementCount;
        if (n == 0)
        {
            return;
        }

        TensorDescriptor[] d = DescriptorBuilder.Elementwise(_host, x, destination);
        Launch(ElementwiseModule, "zimage_unary", LaunchShape.Elementwise(n, _host.MultiprocessorCount), new KernelCall().Add((int)op).Add(d[0]).Add(d[1]).Add(n));
    }

    /// <inheritdoc/>
    public void Binary(BinaryOp op, TensorRef a, TensorRef b, TensorRef destination)
    {
        long n = destination.Layout.ElementCount;
        if (n == 0)
        {
            return;
        }

        TensorDescriptor[] d = DescriptorBuilder.Elementwise(_host, a, b, destination);
        Launch(ElementwiseModule, "zimage_binary", LaunchShape.Elementwise(n, _host.MultiprocessorCount), new KernelCall().Add((int)op).Add(d[0]).Add(d[1]).Add(d[2]).Add(n));
    }

    /// <inheritdoc/>
    public void Affine(TensorRef x, float scale, float shift, TensorRef destination)
    {
        long n = destination.Layout.ElementCount;
        if (n == 0)
        {
            return;
        }

        TensorDescriptor[] d = DescriptorBuilder.Elementwise(_host, x, destination);
        Launch(ElementwiseModule, "zimage_affine", LaunchShape.Elementwise(n, _host.MultiprocessorCount), new KernelCall().Add(d[0]).Add(d[1]).Add(scale).Add(shift).Add(n));
    }

    /// <inheritdoc/>
    public void Clamp(TensorRef x, float min, float max, TensorRef destination)
    {
        long n = destination.Layout.ElementCount;
        if (n == 0)
        {
            return;
        }

        TensorDescriptor[] d = DescriptorBuilder.Elementwise(_host, x, destination);
        Launch(ElementwiseModule, "zimage_clamp", LaunchShape.Elementwise(n, _host.MultiprocessorCount), new KernelCall().Add(d[0]).Add(d[1]).Add(min).Add(max).Add(n));
    }

    /// <inheritdoc/>
    public void SwiGlu(TensorRef gate, TensorRef up, TensorRef destination)
    {
        long n = destination.Layout.ElementCount;
        if (n == 0)
        {
            return;
        }

        TensorDescriptor[] d = DescriptorBuilder.Elementwise(_host, gate, up, destination);
        Launch(ElementwiseModule, "zimage_swiglu", LaunchShape.Elementwise(n, _host.MultiprocessorCount), new KernelCall().Add(d[0]).Add(d[1]).Add(d[2]).Add(n));
    }
}
