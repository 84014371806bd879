using ZImageSharp.Tensors;

namespace ZImageSharp.Models.Vae;

/// <summary>Hand-over of activations between the VAE's layers.</summary>
internal static class Activations
{
    /// <summary>
    /// Frees the consumed activation and returns its successor, so that a chain of layers keeps one temporary alive
    /// between ops instead of all of them until the end of the block (each is 0.5–1 GiB at 1024²).
    /// </summary>
    /// <example><c>h = Activations.Replace(h, conv.Forward(h));</c> (the argument runs before h is freed).</example>
    public static Tensor Replace(Tensor consumed, Tensor next)
    {
        consumed.Dispose();
        return next;
    }
}
