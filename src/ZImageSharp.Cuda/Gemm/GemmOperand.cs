namespace ZImageSharp.Cuda.Gemm;

/// <summary>One cuBLASLt matrix as the plan describes it (column-major, cuBLAS's convention).</summary>
/// <param name="Transposed">Whether cuBLAS applies op T to it.</param>
/// <param name="Rows">Rows of the stored column-major matrix.</param>
/// <param name="Columns">Columns of the stored column-major matrix.</param>
/// <param name="LeadingDimension">Elements between consecutive columns (≥ <paramref name="Rows"/>).</param>
/// <param name="BatchStride">Elements between consecutive batch matrices (0: one matrix shared by the batch).</param>
/// <param name="DataType">cudaDataType of the elements.</param>
internal readonly record struct GemmOperand(bool Transposed, long Rows, long Columns, long LeadingDimension, long BatchStride, int DataType);
