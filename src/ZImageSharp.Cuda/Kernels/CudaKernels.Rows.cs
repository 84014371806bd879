using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Kernels;

// Row ops (rows.cu): one block per row of the last dimension. The operands' outer dimensions are collapsed jointly
// into row descriptors; absent optional operands are passed as address 0.
internal sealed partial class CudaKernels
{
    private const string RowsModule = "rows.cu";

    /// <inheritdoc/>
    public void RmsNorm(TensorRef x, TensorRef? weight, float eps, TensorRef destination)
    {
        if (destination.Layout.ElementCount == 0)
        {
            return;
        }

        int d = x.Shape[-1];
        long rows = x.Layout.ElementCount / d;
        TensorDescriptor[] r = DescriptorBuilder.Rows(_host, x, destination);
        var call = new KernelCall().Add(r[0]);
        AddOptional(call, weight).Add(r[1]).Add(rows).Add(d).Add(eps);
        Launch(RowsModule, "zimage_rmsnorm", LaunchShape.Rows(rows, d), call);
    }

    /// <inheritdoc/>
    public void RmsNormScaled(TensorRef x, TensorRef? weight, float eps, TensorRef? scale, TensorRef? residual, TensorRef destination)
    {
        if (destination.Layout.ElementCount == 0)
        {
            return;
        }

        int d = x.Shape[-1];
        long rows = x.Layout.ElementCount / d;
        var views = new List<TensorRef> { x, destination };
        if (scale is { } s)
        {
            views.Add(s);
        }

        if (residual is { } res)
        {
            views.Add(res);
        }

        TensorDescriptor[] r = DescriptorBuilder.Rows(_host, [.. views]);
        TensorDescriptor scaleRows = scale.HasValue ? r[2] : default;
        TensorDescriptor residualRows = residual.HasValue ? r[scale.HasValue ? 3 : 2] : default;
        var call = new KernelCall().Add(r[0]);
        AddOptional(call, weight).Add(scaleRows).Add(residualRows).Add(r[1]).Add(rows).Add(d).Add(eps);
        Launch(RowsModule, "zimage_rmsnorm_scaled", LaunchShape.Rows(rows, d), call);
    }

    /// <inheritdoc/>
    public void LayerNorm(TensorRef x, TensorRef? weight, TensorRef? bias, float eps, TensorRef destination)
    {
        if (destination.Layout.ElementCount == 0)
        {
            return;
        }

        int d = x.Shape[-1];
        long rows = x.Layout.ElementCount / d;
        TensorDescriptor[] r = DescriptorBuilder.Rows(_host, x, destination);
        var call = new KernelCall().Add(r[0]);
        AddOptional(AddOptional(call, weight), bias).Add(r[1]).Add(rows).Add(d).Add(eps);
        Launch(RowsModule, "zimage_layernorm", LaunchShape.Rows(rows, d), call);
    }

    /// <inheritdoc/>
    public void Softmax(TensorRef x, TensorRef destination)
    {
        if (destination.Layout.ElementCount == 0)
        {
            return;
        }

        int d = x.Shape[-1];
        long rows = x.Layout.ElementCount / d;
        TensorDescriptor[] r = DescriptorBuilder.Rows(_host, x, destination);
        Launch(RowsModule, "zimage_softmax", LaunchShape.Rows(rows, d), new KernelCall().Add(r[0]).Add(r[1]).Add(rows).Add(d));
    }

    /// <inheritdoc/>
    public void Reduce(ReduceOp op, TensorRef x, TensorRef destination)
    {
        // One result per row; an empty row (Sum, L2Norm) still writes its 0, so count rows from the destination.
        long rows = destination.Layout.ElementCount;
        if (rows == 0)
        {
            return;
        }

        int d = x.Shape[-1];
        TensorDescriptor[] r = DescriptorBuilder.Rows(_host, x, destination);
        Launch(RowsModule, "zimage_reduce", LaunchShape.Rows(rows, d), new KernelCall().Add((int)op).Add(r[0]).Add(r[1]).Add(rows).Add(d));
    }

    /// <summary>Appends an optional contiguous parameter vector as (address, dtype), address 0 when absent.</summary>
    private KernelCall AddOptional(KernelCall call, TensorRef? vector) =>
        vector is { } v ? call.Add(_host.Address(v)).Add((int)v.DType) : call.Add(0UL).Add((int)DType.F32);
}
