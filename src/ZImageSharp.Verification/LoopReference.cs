namespace ZImageSharp.Verification;

/// <summary>
/// The op as plain double-precision loops: shares no code with any backend, so it is the honest reference for the CPU
/// backend itself (<c>zimage selftest --device cpu</c>) — comparing the CPU backend with itself could never fail.
/// </summary>
public sealed class LoopReference : ICaseReference
{
    /// <summary>The shared instance (it holds no state).</summary>
    public static LoopReference Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => "double-precision loops";

    /// <inheritdoc/>
    public double[] Expected(OpCase c, IReadOnlyList<HostInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.Reference(inputs);
    }
}
