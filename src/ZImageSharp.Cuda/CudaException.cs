namespace ZImageSharp.Cuda;

/// <summary>A CUDA driver, NVRTC or cuBLASLt call failed; the message names the call and the error.</summary>
public sealed class CudaException : Exception
{
    /// <summary>Creates the exception for a failed native call.</summary>
    /// <param name="call">The native function (e.g. <c>cuMemAlloc_v2</c>) or kernel that failed.</param>
    /// <param name="code">The library's numeric result.</param>
    /// <param name="errorName">The library's name for the result (e.g. <c>CUDA_ERROR_OUT_OF_MEMORY</c>).</param>
    /// <param name="detail">More context (sizes, a compile log), or null.</param>
    public CudaException(string call, int code, string errorName, string? detail = null)
        : base($"{call} failed: {errorName} ({code}){(detail is null ? "" : ": " + detail)}")
    {
        Call = call;
        Code = code;
        ErrorName = errorName;
    }

    /// <summary>The native function or kernel that failed.</summary>
    public string Call { get; }

    /// <summary>The library's numeric result.</summary>
    public int Code { get; }

    /// <summary>The library's name for the result.</summary>
    public string ErrorName { get; }
}
