using ZImageSharp.Tensors;

namespace ZImageSharp.Models;

/// <summary>A model configuration file is missing a field or holds a value the engine cannot use; the message names the file and field.</summary>
public sealed class ConfigException : ZImageException
{
    /// <summary>Creates the exception; the message reads "<paramref name="source"/>: <paramref name="problem"/>".</summary>
    public ConfigException(string source, string problem, Exception? innerException = null)
        : base($"{source}: {problem}", innerException)
    {
        Source = source;
    }

    /// <summary>The configuration file (or a description of where the values came from).</summary>
    public new string Source { get; }
}
