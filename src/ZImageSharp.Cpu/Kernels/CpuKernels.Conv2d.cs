using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

// Convolution as an implicit GEMM: C[n] (Cout × OH·OW) = W (Cout × Cin·KH·KW) · im2col(x[n]) + bias, where C[n] is
// exactly the NCHW destination of image n. The unfolded operand is packed panel by panel from x (Conv2dIm2Col).
internal sealed unsafe partial class CpuKernels
{
    public void Conv2d(TensorRef x, TensorRef weight, TensorRef? bias, Conv2dParams parameters, TensorRef destination)
    {
        var (batch, channels, height, width) = x.Shape.Dims4();
        var (outChannels, _, kernelHeight, kernelWidth) = weight.Shape.Dims4();
        var (_, _, outHeight, outWidth) = destination.Shape.Dims4();
        int depth = channels * kernelHeight * kernelWidth;
        int pixels = outHeight * outWidth;
        var a = new StridedMatrix(CpuMemory.Base(weight), weight.DType, weight.Layout.Offset, 0, depth, 1, outChannels, depth);
        float[]? rowBias = bias is { } bt ? LoadVector(bt) : null;
        fixed (float* biasPointer = rowBias)
        {
            var output = new GemmOutput(CpuMemory.Base(destination), destination.DType, destination.Layout.Offset, (long)outChannels * pixels, pixels, null, biasPointer);
            var p = parameters;
            if (kernelHeight == 1 && kernelWidth == 1 && p.Stride == 1 && p.PadTop == 0 && p.PadBottom == 0 && p.PadLeft == 0 && p.PadRight == 0)
            {
                // A pointwise convolution is a plain product with the image viewed as a [Cin, H·W] matrix.
                var image = new StridedMatrix(CpuMemory.Base(x), x.DType, x.Layout.Offset, (long)channels * height * width, (long)height * width, 1, channels, height * width);
                Gemm.Run(_parallel, GemmKernel.Best, batch, outChannels, pixels, depth, a, new MatrixPanelSource(image), output);
                return;
            }

            var unfolded = new Conv2dIm2Col(CpuMemory.Base(x), x.DType, x.Layout.Offset, channels, height, width, kernelHeight, kernelWidth, p, outWidth);
            Gemm.Run(_parallel, GemmKernel.Best, batch, outChannels, pixels, depth, a, unfolded, output);
        }
    }
}
