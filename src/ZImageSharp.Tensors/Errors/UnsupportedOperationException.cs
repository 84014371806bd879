namespace ZImageSharp.Tensors;

/// <summary>A backend does not implement an op for a dtype and no composite fallback exists.</summary>
public sealed class UnsupportedOperationException : NotSupportedException
{
    /// <summary>Creates the exception for an (op, dtype, backend) combination.</summary>
    public UnsupportedOperationException(OpKind op, DType dtype, string backend)
        : base($"{op} is not supported for {dtype} on the {backend} backend.")
    {
        Op = op;
        DType = dtype;
        Backend = backend;
    }

    /// <summary>The op.</summary>
    public OpKind Op { get; }

    /// <summary>The dtype the op was asked to handle.</summary>
    public DType DType { get; }

    /// <summary>The backend's name.</summary>
    public string Backend { get; }
}
