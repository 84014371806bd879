using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

// Matrix products: a thin adapter from the rank-3 kernel contract onto the packed GEMM (Kernels/Gemm).
internal sealed unsafe partial class CpuKernels
{
    public void MatMul(TensorRef a, TensorRef b, TensorRef? bias, TensorRef destination)
    {
        var (batch, m, k) = a.Shape.Dims3();
        int n = b.Shape[2];
        float[]? columnBias = bias is { } bt ? LoadVector(bt) : null;
        Layout dst = destination.Layout;
        fixed (float* biasPointer = columnBias)
        {
            var output = new GemmOutput(CpuMemory.Base(destination), destination.DType, dst.Offset, dst.Stride(0), dst.Stride(1), biasPointer, null);
            var matrixB = new MatrixPanelSource(StridedMatrix.From(b));
            Gemm.Run(_parallel, GemmKernel.Best, batch, m, n, k, StridedMatrix.From(a), matrixB, output);
        }
    }

    /// <summary>A contiguous 1-D tensor of any float dtype as f32 values (biases: N values, converted once per call).</summary>
    private static float[] LoadVector(in TensorRef vector)
    {
        var values = new float[vector.Layout.ElementCount];
        RowIO.Load(CpuMemory.Base(vector), vector.DType, vector.Layout.Offset, 1, values);
        return values;
    }
}
