using System.Runtime.CompilerServices;
using ZImageSharp.Cuda.Runtime;

namespace ZImageSharp.Cuda.Kernels;

/// <summary>The parameters of one launch: the packed <see cref="KernelArguments"/> plus each value's size, which the
/// ABI test compares with the kernel's PTX parameter list (the packed buffer alone cannot tell an int followed by
/// padding from a long).</summary>
internal sealed class KernelCall : IDisposable
{
    private readonly List<int> _sizes = [];

    /// <summary>The packed values for the host.</summary>
    public KernelArguments Arguments { get; } = new();

    /// <summary>The size in bytes of each value, in order.</summary>
    public IReadOnlyList<int> ParameterSizes => _sizes;

    /// <summary>Appends a value (a scalar, a device address as <see cref="ulong"/>, or a <see cref="TensorDescriptor"/>).</summary>
    public KernelCall Add<T>(T value)
        where T : unmanaged
    {
        Arguments.Add(value);
        _sizes.Add(Unsafe.SizeOf<T>());
        return this;
    }

    /// <inheritdoc/>
    public void Dispose() => Arguments.Dispose();
}
