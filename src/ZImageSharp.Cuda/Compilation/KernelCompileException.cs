namespace ZImageSharp.Cuda.Compilation;

/// <summary>NVRTC rejected an embedded kernel source; the message carries the compiler's log.</summary>
public sealed class KernelCompileException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="module">The source file.</param>
    /// <param name="architecture">The target, e.g. <c>sm_90</c>.</param>
    /// <param name="log">NVRTC's log.</param>
    public KernelCompileException(string module, string architecture, string log)
        : base($"NVRTC could not compile the kernel source {module} for {architecture}:\n{log.TrimEnd()}")
    {
        Module = module;
        Architecture = architecture;
        Log = log;
    }

    /// <summary>The source file.</summary>
    public string Module { get; }

    /// <summary>The target architecture.</summary>
    public string Architecture { get; }

    /// <summary>NVRTC's log.</summary>
    public string Log { get; }
}
