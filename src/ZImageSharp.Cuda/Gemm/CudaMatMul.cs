using ZImageSharp.Cuda.Runtime;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Gemm;

/// <summary>
/// <see cref="IKernels.MatMul"/> on the GPU: cuBLASLt when it takes the operands as they are, otherwise the operands
/// are prepared first with the op set's own kernels — cast to a common dtype (f32 when they differ, as the CPU backend
/// widens), copied contiguous when a view's rows overlap — and a bias that is not of the output's dtype is added in
/// f32 to an f32 product before the one rounding to the output, as on the CPU.
/// </summary>
internal sealed class CudaMatMul(ICudaKernelHost host, IKernels kernels, CublasLtGemm gemm, nint stream)
{
    /// <summary>Runs the product (the <see cref="IKernels.MatMul"/> contract).</summary>
    public void Run(TensorRef a, TensorRef b, TensorRef? bias, TensorRef destination)
    {
        DType common = a.DType == b.DType && GemmPlanner.DataType(a.DType) >= 0 ? a.DType : DType.F32;
        bool outputDirect = destination.DType == common || destination.DType == DType.F32;
        bool biasInEpilogue = bias is not TensorRef bb || bb.DType == destination.DType;
        bool f32Scratch = !outputDirect || !biasInEpilogue;

        var temporaries = new List<Tensor>();
        try
        {
            TensorRef aReady = Prepare(a, common, temporaries);
            TensorRef bReady = Prepare(b, common, temporaries);
            TensorRef output = destination;
            if (f32Scratch)
            {
                Tensor scratch = Tensor.Empty(host.Backend, destination.Layout.Shape, DType.F32);
                temporaries.Add(scratch);
                output = scratch.ToRef();
            }

            TensorRef? epilogueBias = f32Scratch ? null : bias;
            GemmPlanner.Result result = GemmPlanner.Plan(aReady.Layout, aReady.DType, bReady.Layout, bReady.DType, output.Layout, output.DType, epilogueBias?.DType);
            GemmPlan plan = result.Plan ?? throw new NotSupportedException($"MatMul on {host.Backend.Name}: cuBLASLt cannot take the prepared operands ({result.Problem}).");
            // Our B is cuBLAS's first operand, our A its second (see GemmPlan).
            gemm.Run(plan, host.Address(bReady), host.Address(aReady), host.Address(output), epilogueBias is TensorRef eb ? host.Address(eb) : 0, stream);

            if (f32Scratch)
            {
                if (bias is TensorRef biasRef)
                {
                    Shape shape = destination.Layout.Shape;
                    var broadcast = new Layout(shape, [0, 0, 1], biasRef.Layout.Offset);
                    kernels.Binary(BinaryOp.Add, output, biasRef with { Layout = broadcast }, destination);
                }
                else
                {
                    kernels.Copy(output, destination);
                }
            }
        }
        finally
        {
            foreach (Tensor t in temporaries)
            {
                t.Dispose();
            }
        }
    }

    private TensorRef Prepare(TensorRef operand, DType common, List<Tensor> temporaries)
    {
        if (operand.DType == common && GemmPlanner.CanRead(operand.Layout))
        {
            return operand;
        }

        Tensor copy = Tensor.Empty(host.Backend, operand.Layout.Shape, common);
        temporaries.Add(copy);
        kernels.Copy(operand, copy.ToRef());
        return copy.ToRef();
    }
}
