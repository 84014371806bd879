namespace ZImageSharp.Tensors;

/// <summary>What a kernel sees of a tensor: its storage, layout and dtype.</summary>
/// <param name="Storage">The memory (the kernel's own backend's subclass).</param>
/// <param name="Layout">Shape, strides and offset, in elements.</param>
/// <param name="DType">Element type.</param>
public readonly record struct TensorRef(Storage Storage, Layout Layout, DType DType)
{
    /// <summary>The logical shape.</summary>
    public Shape Shape => Layout.Shape;
}
