using ZImageSharp.Cuda.Interop;
using ZImageSharp.Cuda.Runtime;

namespace ZImageSharp.Cuda.Gemm;

/// <summary>
/// Runs <see cref="GemmPlan"/>s through cuBLASLt: f32 accumulation (<c>CUBLAS_COMPUTE_32F</c>, no TF32), optional bias
/// epilogue, strided batches, one workspace. Descriptors and the heuristic's algorithm are cached per plan and operand
/// alignment, so a repeated shape costs one <c>cublasLtMatmul</c> call.
/// </summary>
internal sealed unsafe class CublasLtGemm : IDisposable
{
    /// <summary>Workspace for split-K and stream-K algorithms; 32 MiB is what cuBLAS itself uses on Hopper.</summary>
    public const long WorkspaceBytes = 32L << 20;

    private readonly CudaContext _context;
    private readonly CublasLtHandle _handle;
    private readonly ulong _workspace;
    private readonly Dictionary<PreparedKey, Prepared> _prepared = [];

    /// <summary>Creates the cuBLASLt handle; <paramref name="workspace"/> is a device block of <see cref="WorkspaceBytes"/>.</summary>
    public CublasLtGemm(CudaContext context, ulong workspace)
    {
        _context = context;
        _workspace = workspace;
        context.MakeCurrent();
        CublasLt.Check(CublasLt.Create(out nint handle), "cublasLtCreate");
        _handle = new CublasLtHandle(handle, context.Handle);
        Version = (long)CublasLt.GetVersion();
    }

    /// <summary>cuBLASLt's version number (e.g. 120402 for 12.4.2).</summary>
    public long Version { get; }

    /// <summary>D = op(First)·op(Second) (+ bias) on <paramref name="stream"/>; pointers address each operand's first element.</summary>
    /// <exception cref="CudaException">When cuBLASLt has no algorithm for the problem or the call fails.</exception>
    public void Run(GemmPlan plan, ulong first, ulong second, ulong output, ulong bias, nint stream)
    {
        _context.MakeCurrent();
        var key = new PreparedKey(plan, Alignment(first), Alignment(second), Alignment(output), bias != 0 ? Alignment(bias) : 0);
        if (!_prepared.TryGetValue(key, out Prepared? prepared))
        {
            prepared = Prepare(key, bias);
            _prepared[key] = prepared;
        }

        nint desc = prepared.Desc.DangerousGetHandle();
        if (plan.BiasEpilogue)
        {
            ulong pointer = bias;
            CublasLt.Check(CublasLt.MatmulDescSetAttribute(desc, CublasLt.DescBiasPointer, &pointer, 8), "cublasLtMatmulDescSetAttribute", "bias pointer");
        }

        float alpha = 1, beta = 0;
        CublasLt.Algo algo = prepared.Algo;
        CublasLt.Check(
            CublasLt.Matmul(
                _handle.DangerousGetHandle(), desc, &alpha, first, prepared.First.DangerousGetHandle(), second, prepared.Second.DangerousGetHandle(),
                &beta, output, prepared.Output.DangerousGetHandle(), output, prepared.Output.DangerousGetHandle(), &algo, _workspace,
                (nuint)WorkspaceBytes, stream),
            "cublasLtMatmul",
            Describe(plan));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (Prepared prepared in _prepared.Values)
        {
            prepared.Dispose();
        }

        _prepared.Clear();
        _handle.Dispose();
    }

    /// <summary>The largest power of two (≤ 256) dividing an address: the alignment the heuristic may assume.</summary>
    internal static int Alignment(ulong address) => address == 0 ? 256 : (int)Math.Min(256UL, address & (~address + 1));

    private static string Describe(GemmPlan plan) =>
        $"[{plan.Batch}×{plan.M}×{plan.K}]·[{plan.K}×{plan.N}], first {(plan.First.Transposed ? "T" : "N")} ld {plan.First.LeadingDimension}, second {(plan.Second.Transposed ? "T" : "N")} ld {plan.Second.LeadingDimension}, types {plan.First.DataType}→{plan.Output.DataType}";

    private Prepared Prepare(PreparedKey key, ulong bias)
    {
        GemmPlan plan = key.Plan;
        CublasLt.Check(CublasLt.MatmulDescCreate(out nint descHandle, CublasLt.Compute32F, CublasLt.DataF32), "cublasLtMatmulDescCreate");
        var desc = new MatmulDescHandle(descHandle, _context.Handle);
        MatrixLayoutHandle? first = null, second = null, output = null;
        try
        {
            int transA = plan.First.Transposed ? 1 : 0, transB = plan.Second.Transposed ? 1 : 0;
            CublasLt.Check(CublasLt.MatmulDescSetAttribute(descHandle, CublasLt.DescTransA, &transA, 4), "cublasLtMatmulDescSetAttribute", "transa");
            CublasLt.Check(CublasLt.MatmulDescSetAttribute(descHandle, CublasLt.DescTransB, &transB, 4), "cublasLtMatmulDescSetAttribute", "transb");
            if (plan.BiasEpilogue)
            {
                uint epilogue = CublasLt.EpilogueBias;
                ulong pointer = bias;
                CublasLt.Check(CublasLt.MatmulDescSetAttribute(descHandle, CublasLt.DescEpilogue, &epilogue, 4), "cublasLtMatmulDescSetAttribute", "epilogue");
                CublasLt.Check(CublasLt.MatmulDescSetAttribute(descHandle, CublasLt.DescBiasPointer, &pointer, 8), "cublasLtMatmulDescSetAttribute", "bias pointer");
            }

            first = Layout(plan.First, plan.Batch);
            second = Layout(plan.Second, plan.Batch);
            output = Layout(plan.Output, plan.Batch);
            CublasLt.Algo algo = Heuristic(key, desc, first, second, output);
            return new Prepared(desc, first, second, output, algo);
        }
        catch
        {
            output?.Dispose();
            second?.Dispose();
            first?.Dispose();
            desc.Dispose();
            throw;
        }
    }

    private MatrixLayoutHandle Layout(GemmOperand operand, long batch)
    {
        CublasLt.Check(
            CublasLt.MatrixLayoutCreate(out nint handle, operand.DataType, (ulong)operand.Rows, (ulong)operand.Columns, operand.LeadingDimension),
            "cublasLtMatrixLayoutCreate", $"{operand.Rows}×{operand.Columns} ld {operand.LeadingDimension}");
        var layout = new MatrixLayoutHandle(handle, _context.Handle);
        if (batch > 1)
        {
            int count = (int)batch;
            long stride = operand.BatchStride;
            CublasLt.Check(CublasLt.MatrixLayoutSetAttribute(handle, CublasLt.LayoutBatchCount, &count, 4), "cublasLtMatrixLayoutSetAttribute", "batch count");
            CublasLt.Check(CublasLt.MatrixLayoutSetAttribute(handle, CublasLt.LayoutStridedBatchOffset, &stride, 8), "cublasLtMatrixLayoutSetAttribute", "batch stride");
        }

        return layout;
    }

    private CublasLt.Algo Heuristic(PreparedKey key, MatmulDescHandle desc, MatrixLayoutHandle first, MatrixLayoutHandle second, MatrixLayoutHandle output)
    {
        CublasLt.Check(CublasLt.PreferenceCreate(out nint preference), "cublasLtMatmulPreferenceCreate");
        try
        {
            ulong workspace = (ulong)WorkspaceBytes;
            CublasLt.Check(CublasLt.PreferenceSetAttribute(preference, CublasLt.PreferenceMaxWorkspaceBytes, &workspace, 8), "cublasLtMatmulPreferenceSetAttribute", "workspace");
            uint* alignments = stackalloc uint[] { (uint)key.AlignFirst, (uint)key.AlignSecond, (uint)key.AlignOutput, (uint)key.AlignOutput };
            for (int i = 0; i < 4; i++)
            {
                CublasLt.Check(CublasLt.PreferenceSetAttribute(preference, CublasLt.PreferenceMinAlignmentA + i, alignments + i, 4), "cublasLtMatmulPreferenceSetAttribute", "alignment");
            }

            CublasLt.HeuristicResult result;
            int status = CublasLt.AlgoGetHeuristic(
                _handle.DangerousGetHandle(), desc.DangerousGetHandle(), first.DangerousGetHandle(), second.DangerousGetHandle(),
                output.DangerousGetHandle(), output.DangerousGetHandle(), preference, 1, &result, out int returned);
            if (status != 0 || returned == 0 || result.State != 0)
            {
                throw new CudaException("cublasLtMatmulAlgoGetHeuristic", status, status != 0 ? CublasLt.StatusName(status) : "no algorithm", Describe(key.Plan));
            }

            return result.Algo;
        }
        finally
        {
            _ = CublasLt.PreferenceDestroy(preference);
        }
    }

    private readonly record struct PreparedKey(GemmPlan Plan, int AlignFirst, int AlignSecond, int AlignOutput, int AlignBias);

    private sealed class Prepared(MatmulDescHandle desc, MatrixLayoutHandle first, MatrixLayoutHandle second, MatrixLayoutHandle output, CublasLt.Algo algo) : IDisposable
    {
        public MatmulDescHandle Desc { get; } = desc;

        public MatrixLayoutHandle First { get; } = first;

        public MatrixLayoutHandle Second { get; } = second;

        public MatrixLayoutHandle Output { get; } = output;

        public CublasLt.Algo Algo { get; } = algo;

        public void Dispose()
        {
            Desc.Dispose();
            First.Dispose();
            Second.Dispose();
            Output.Dispose();
        }
    }
}
