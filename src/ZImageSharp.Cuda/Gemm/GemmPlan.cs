namespace ZImageSharp.Cuda.Gemm;

/// <summary>
/// A row-major batched product D[b] = A[b]·B[b] (+ bias) restated for cuBLASLt, which is column-major: the row-major
/// [M, N] result is the column-major N×M matrix Dᵀ = Bᵀ·Aᵀ, so cuBLAS's first operand is our B and its second is our A,
/// and a row-major operand needs no transpose while a transposed view (column-major) gets op T.
/// </summary>
/// <param name="First">cuBLAS's A: our B.</param>
/// <param name="Second">cuBLAS's B: our A.</param>
/// <param name="Output">cuBLAS's C and D: our destination, N rows (the bias's length) by M columns.</param>
/// <param name="M">Rows of our A and D.</param>
/// <param name="N">Columns of our B and D.</param>
/// <param name="K">The inner dimension.</param>
/// <param name="Batch">Number of products.</param>
/// <param name="BiasEpilogue">Whether the bias goes through the cuBLASLt bias epilogue (else none or added after).</param>
internal sealed record GemmPlan(GemmOperand First, GemmOperand Second, GemmOperand Output, long M, long N, long K, long Batch, bool BiasEpilogue);
