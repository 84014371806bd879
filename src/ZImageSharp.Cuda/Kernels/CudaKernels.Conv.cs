using ZImageSharp.Cuda.Runtime;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Kernels;

// Image ops (conv.cu): implicit-GEMM convolution over 64 × 64 output tiles, nearest-neighbour upsampling.
internal sealed partial class CudaKernels
{
    private const string ConvModule = "conv.cu";

    /// <summary>Output channels × pixels per conv block (ZI_CONV_BM, ZI_CONV_BN) and its threads.</summary>
    private const int ConvTile = 64;
    private const uint ConvThreads = 256;

    /// <inheritdoc/>
    public void Conv2d(TensorRef x, TensorRef weight, TensorRef? bias, Conv2dParams parameters, TensorRef destination)
    {
        var (n, cin, h, w) = x.Shape.Dims4();
        var (cout, _, kh, kw) = weight.Shape.Dims4();
        var (_, _, oh, ow) = destination.Shape.Dims4();
        long pixels = (long)n * oh * ow;
        if (pixels == 0 || cout == 0)
        {
            return;
        }

        long columnTiles = (pixels + ConvTile - 1) / ConvTile;
        if (columnTiles > LaunchShape.MaxGridX)
        {
            throw new NotSupportedException($"Conv2d output of {pixels} pixels exceeds the CUDA grid; split the batch.");
        }

        var call = new KernelCall().Add(_host.Address(x)).Add((int)x.DType).Add(_host.Address(weight)).Add((int)weight.DType);
        AddOptional(call, bias)
            .Add(_host.Address(destination)).Add((int)destination.DType)
            .Add(n).Add(cin).Add(h).Add(w).Add(cout).Add(kh).Add(kw).Add(oh).Add(ow)
            .Add(parameters.Stride).Add(parameters.PadTop).Add(parameters.PadLeft);
        var shape = (new Dim3((uint)columnTiles, (uint)((cout + ConvTile - 1) / ConvTile)), new Dim3(ConvThreads));
        Launch(ConvModule, "zimage_conv2d", shape, call);
    }

    /// <inheritdoc/>
    public void UpsampleNearest(TensorRef x, int scale, TensorRef destination)
    {
        var (_, _, h, w) = x.Shape.Dims4();
        long count = destination.Layout.ElementCount;
        if (count == 0)
        {
            return;
        }

        var call = new KernelCall()
            .Add(_host.Address(x)).Add(_host.Address(destination)).Add(x.DType.ElementSize())
            .Add(h).Add(w).Add(scale).Add(count);
        Launch(ConvModule, "zimage_upsample_nearest", LaunchShape.Elementwise(count, _host.MultiprocessorCount), call);
    }
}
