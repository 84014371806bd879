namespace ZImageSharp.Verification;

/// <summary>How an input's values are laid out in the backend's memory; the logical values are the same for every view.</summary>
public enum InputView
{
    /// <summary>Row-major contiguous.</summary>
    Contiguous,

    /// <summary>The last two dimensions are stored swapped and viewed back with a transpose (a column-major operand).</summary>
    Transposed,

    /// <summary>A narrow of a buffer whose last dimension is 3 elements wider, the extra elements NaN: a strided view,
    /// and a kernel that reads outside the view gets NaN into its result.</summary>
    Padded,
}
