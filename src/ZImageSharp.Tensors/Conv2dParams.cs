namespace ZImageSharp.Tensors;

/// <summary>Stride and zero padding of a 2-D convolution (dilation 1, one group).</summary>
/// <param name="Stride">Stride in both directions.</param>
/// <param name="PadTop">Zero rows added above.</param>
/// <param name="PadBottom">Zero rows added below.</param>
/// <param name="PadLeft">Zero columns added on the left.</param>
/// <param name="PadRight">Zero columns added on the right.</param>
public readonly record struct Conv2dParams(int Stride, int PadTop, int PadBottom, int PadLeft, int PadRight)
{
    /// <summary>The same padding on all four sides (PyTorch's <c>padding=p</c>).</summary>
    public static Conv2dParams Symmetric(int stride, int padding) => new(stride, padding, padding, padding, padding);

    /// <summary>Output size of one spatial dimension.</summary>
    public static int OutputSize(int input, int kernel, int stride, int padBefore, int padAfter)
        => ((input + padBefore + padAfter - kernel) / stride) + 1;
}
