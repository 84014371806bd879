using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cpu;

// The DiT's fused norm chains: residual + RmsNorm(x)·weight·scale per row. The row is normalised into a scratch
// row that stays in L1, then one pass applies scale and residual, so the destination may be the residual itself.
internal sealed unsafe partial class CpuKernels
{
    public void RmsNormScaled(TensorRef x, TensorRef? weight, float eps, TensorRef? scale, TensorRef? residual, TensorRef destination)
    {
        var rowsX = new RowIndexer(x.Layout);
        int d = rowsX.RowLength;
        if (destination.Layout.ElementCount == 0)
        {
            return;
        }

        var rowsS = scale is { } s ? new RowIndexer(s.Layout) : rowsX;
        var rowsR = residual is { } r ? new RowIndexer(r.Layout) : rowsX;
        byte* px = CpuMemory.Base(x);
        byte* ps = scale is { } sc ? CpuMemory.Base(sc) : null;
        byte* pr = residual is { } rr ? CpuMemory.Base(rr) : null;
        byte* pd = CpuMemory.Base(destination);
        DType tx = x.DType;
        DType ts = scale?.DType ?? DType.F32;
        DType tr = residual?.DType ?? DType.F32;
        DType td = destination.DType;
        long offsetD = destination.Layout.Offset;
        bool hasScale = scale.HasValue;
        bool hasResidual = residual.HasValue;
        using F32Vector w = F32Vector.From(weight);

        _parallel.For(rowsX.Rows, RowMap.Grain(d), (start, end) =>
        {
            // x (converted), the normalised row, scale, residual, destination (converted).
            float[] scratch = ArrayPool<float>.Shared.Rent(5 * d);
            try
            {
                Span<float> buffers = scratch;
                for (long row = start; row < end; row++)
                {
                    ReadOnlySpan<float> xs = RowAccess.Read(px, tx, rowsX.Offset(row), 1, d, buffers[..d]);
                    Span<float> normed = buffers.Slice(d, d);
                    float inverse = (float)InverseStd(RowStatistics.SumOfSquares(xs) / d, eps);
                    if (w.IsPresent)
                    {
                        SimdLoop.Run(new ScaleMultiplyOperator(inverse), xs, w.Span, normed);
                    }
                    else
                    {
                        TensorPrimitives.Multiply(xs, inverse, normed);
                    }

                    if (hasScale)
                    {
                        TensorPrimitives.Multiply(normed, RowAccess.Read(ps, ts, rowsS.Offset(row), 1, d, buffers.Slice(2 * d, d)), normed);
                    }

                    long at = offsetD + (row * d);
                    Span<float> y = RowAccess.Target(pd, td, at, d, buffers.Slice(4 * d, d));
                    if (hasResidual)
                    {
                        // Residual first, as the composite adds it: residual + normed (the sum is commutative anyway).
                        TensorPrimitives.Add(RowAccess.Read(pr, tr, rowsR.Offset(row), 1, d, buffers.Slice(3 * d, d)), normed, y);
                    }
                    else
                    {
                        normed.CopyTo(y);
                    }

                    RowAccess.Commit(y, pd, td, at);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        });
    }
}
