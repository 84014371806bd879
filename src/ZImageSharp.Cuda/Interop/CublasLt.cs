using System.Runtime.InteropServices;

namespace ZImageSharp.Cuda.Interop;

/// <summary>The cuBLASLt calls the GEMM makes (<c>libcublasLt.so.*</c>). Results are <c>cublasStatus_t</c> codes
/// (0 = success); <see cref="Check"/> turns a failure into a <see cref="CudaException"/> naming the call.</summary>
internal static unsafe partial class CublasLt
{
    /// <summary><c>CUDA_R_32F</c>.</summary>
    public const int DataF32 = 0;

    /// <summary><c>CUDA_R_16F</c>.</summary>
    public const int DataF16 = 2;

    /// <summary><c>CUDA_R_16BF</c>.</summary>
    public const int DataBF16 = 14;

    /// <summary><c>CUBLAS_COMPUTE_32F</c>: f32 accumulation, never TF32 (that would be <c>CUBLAS_COMPUTE_32F_FAST_TF32</c>).</summary>
    public const int Compute32F = 68;

    /// <summary><c>CUBLASLT_MATMUL_DESC_TRANSA</c>.</summary>
    public const int DescTransA = 3;

    /// <summary><c>CUBLASLT_MATMUL_DESC_TRANSB</c>.</summary>
    public const int DescTransB = 4;

    /// <summary><c>CUBLASLT_MATMUL_DESC_EPILOGUE</c>.</summary>
    public const int DescEpilogue = 7;

    /// <summary><c>CUBLASLT_MATMUL_DESC_BIAS_POINTER</c>.</summary>
    public const int DescBiasPointer = 8;

    /// <summary><c>CUBLASLT_MATMUL_DESC_BIAS_BATCH_STRIDE</c>.</summary>
    public const int DescBiasBatchStride = 10;

    /// <summary><c>CUBLASLT_EPILOGUE_DEFAULT</c>.</summary>
    public const uint EpilogueDefault = 1;

    /// <summary><c>CUBLASLT_EPILOGUE_BIAS</c>: adds a vector of D's row count, broadcast over D's columns.</summary>
    public const uint EpilogueBias = 4;

    /// <summary><c>CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT</c>.</summary>
    public const int LayoutBatchCount = 5;

    /// <summary><c>CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET</c>.</summary>
    public const int LayoutStridedBatchOffset = 6;

    /// <summary><c>CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES</c>.</summary>
    public const int PreferenceMaxWorkspaceBytes = 1;

    /// <summary><c>CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES</c>; B, C, D follow as 6, 7, 8.</summary>
    public const int PreferenceMinAlignmentA = 5;

    /// <summary><c>CUBLASLT_MATMUL_PREF_EPILOGUE_MASK</c>.</summary>
    public const int PreferenceEpilogueMask = 11;

    [LibraryImport(CudaNativeLibraries.CublasLtName, EntryPoint = "cublasLtCreate")]
    public static partial int Create(out nint handle);

    [LibraryImport(CudaNativeLibraries.CublasLtName, EntryPoint = "cublasLtDestroy")]
    public static partial int Destroy(nint handle);

    [LibraryImport(CudaNativeLibraries.CublasLtName, EntryPoint = "cublasLtGetVersion")]
    public static partial nuint GetVersion();

    [LibraryImport(CudaNativeLibraries.CublasLtName, EntryPoint = "cublasLtGetStatusName")]
    public static partial nint GetStatusName(int status);

    [LibraryImport(CudaNativeLibraries.CublasLtName, EntryPoint = "cublasLtMatmulDescCreate")]
    public static partial int MatmulDescCreate(out nint desc, int computeType, int scaleType);

    [LibraryImport(CudaNativeLibraries.CublasLtName, EntryPoint = "cublasLtMatmulDescDestroy")]
    public static partial int MatmulDescDestroy(nint desc);

    [LibraryImport(CudaNativeLibraries.CublasLtName, EntryPoint = "cublasLtMatmulDescSetAttribute")]
    public static partial int MatmulDescSetAttribute(nint desc, int attribute, void* value, nuint size);

    [LibraryImport(CudaNativeLibraries.CublasLtName, EntryPoint = "cublasLtMatrixLayoutCreate")]
    public static partial int MatrixLayoutCreate(out nint layout, int dataType, ulong rows, ulong cols, long ld);

    [LibraryImport(CudaNativeLibraries.CublasLtName, EntryPoint = "cublasLtMatrixLayoutDestroy")]
    public static partial int MatrixLayoutDestroy(nint layout);

    [LibraryImport(CudaNativeLibraries.CublasLtName, EntryPoint = "cublasLtMatrixLayoutSetAttribute")]
    public static partial int MatrixLayoutSetAttribute(nint layout, int attribute, void* value, nuint size);

    [LibraryImport(CudaNativeLibraries.CublasLtName, EntryPoint = "cublasLtMatmulPreferenceCreate")]
    public static partial int PreferenceCreate(out nint preference);

    [LibraryImport(CudaNativeLibraries.CublasLtName, EntryPoint = "cublasLtMatmulPreferenceDestroy")]
    public static partial int PreferenceDestroy(nint preference);

    [LibraryImport(CudaNativeLibraries.CublasLtName, EntryPoint = "cublasLtMatmulPreferenceSetAttribute")]
    public static partial int PreferenceSetAttribute(nint preference, int attribute, void* value, nuint size);

    [LibraryImport(CudaNativeLibraries.CublasLtName, EntryPoint = "cublasLtMatmulAlgoGetHeuristic")]
    public static partial int AlgoGetHeuristic(
        nint handle, nint operationDesc, nint aDesc, nint bDesc, nint cDesc, nint dDesc, nint preference,
        int requestedCount, HeuristicResult* results, out int returnedCount);

    [LibraryImport(CudaNativeLibraries.CublasLtName, EntryPoint = "cublasLtMatmul")]
    public static partial int Matmul(
        nint handle, nint operationDesc, void* alpha, ulong a, nint aDesc, ulong b, nint bDesc, void* beta,
        ulong c, nint cDesc, ulong d, nint dDesc, Algo* algo, ulong workspace, nuint workspaceBytes, nint stream);

    /// <summary>Throws when <paramref name="status"/> is not <c>CUBLAS_STATUS_SUCCESS</c>.</summary>
    public static void Check(int status, string call, string? detail = null)
    {
        if (status != 0)
        {
            throw new CudaException(call, status, StatusName(status), detail);
        }
    }

    /// <summary>cuBLAS's name for a status, e.g. <c>CUBLAS_STATUS_NOT_SUPPORTED</c>.</summary>
    public static string StatusName(int status)
    {
        try
        {
            nint name = GetStatusName(status);
            return name == 0 ? $"cublasStatus {status}" : Marshal.PtrToStringUTF8(name) ?? $"cublasStatus {status}";
        }
        catch (EntryPointNotFoundException)
        {
            return $"cublasStatus {status}";
        }
    }

    /// <summary><c>cublasLtMatmulAlgo_t</c>: 8 opaque 64-bit words.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Algo
    {
        /// <summary>The words.</summary>
        public fixed ulong Data[8];
    }

    /// <summary><c>cublasLtMatmulHeuristicResult_t</c> (96 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct HeuristicResult
    {
        /// <summary>The algorithm.</summary>
        public Algo Algo;

        /// <summary>Workspace it needs.</summary>
        public nuint WorkspaceSize;

        /// <summary>Its status (0 when usable).</summary>
        public int State;

        /// <summary>Waves count (utilisation estimate).</summary>
        public float WavesCount;

        /// <summary>Reserved.</summary>
        public fixed int Reserved[4];
    }
}
