using ZImageSharp.Tensors;

namespace ZImageSharp.Verification;

/// <summary>One input of a case: its logical values (row-major, already exactly representable in <see cref="DType"/>),
/// shape, dtype and the memory layout it is given to the op in.</summary>
/// <param name="Shape">The logical shape.</param>
/// <param name="DType">The element type on the backend.</param>
/// <param name="Values">Row-major values, each exactly representable in <paramref name="DType"/>.</param>
/// <param name="View">How the values are laid out in memory.</param>
public sealed record HostInput(int[] Shape, DType DType, double[] Values, InputView View = InputView.Contiguous)
{
    /// <summary>The same values in another layout.</summary>
    public HostInput As(InputView view) => this with { View = view };
}
