using ZImageSharp.Server.Generation;

namespace ZImageSharp.Server.Hosting;

/// <summary>The generator the worker loaded, for readers other than the worker (its memory pool in /metrics).</summary>
internal sealed class GeneratorHolder
{
    private volatile IImageGenerator? _generator;

    /// <summary>The loaded generator, or null before loading and after shutdown.</summary>
    public IImageGenerator? Generator
    {
        get => _generator;
        set => _generator = value;
    }
}
