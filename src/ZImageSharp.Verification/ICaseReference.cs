namespace ZImageSharp.Verification;

/// <summary>Where a case's expected output comes from.</summary>
public interface ICaseReference
{
    /// <summary>Shown in the report ("cpu backend", "double-precision loops").</summary>
    string Name { get; }

    /// <summary>The expected output of <paramref name="c"/> for <paramref name="inputs"/>, row-major.</summary>
    double[] Expected(OpCase c, IReadOnlyList<HostInput> inputs);
}
