using ZImageSharp.Pipelines;

namespace ZImageSharp.Server.Generation;

/// <summary>What the server says about its model before and after it is loaded (UI, /api/v1/info, logs, image metadata).</summary>
/// <param name="Name">The model's name: a folder name, or the demo's description.</param>
/// <param name="IsDemo">True for the built-in demo model (its images are abstract patterns).</param>
/// <param name="Device">Where it runs (<c>cpu</c>, <c>cuda:0</c>).</param>
/// <param name="DefaultSize">Width and height when a request gives none.</param>
public sealed record ModelDescription(string Name, bool IsDemo, string Device, int DefaultSize)
{
    /// <summary>The default edge for the demo model: it makes 256² images in well under a second.</summary>
    public const int DemoSize = 256;

    /// <summary>The default edge for real checkpoints (Z-Image-Turbo is trained around one megapixel).</summary>
    public const int ModelSize = 1024;

    /// <summary>The built-in demo model on <paramref name="device"/>.</summary>
    public static ModelDescription Demo(string device = "cpu") => new(DemoModel.Description, IsDemo: true, device, DemoSize);

    /// <summary>A checkpoint named <paramref name="name"/> on <paramref name="device"/>.</summary>
    public static ModelDescription Checkpoint(string name, string device) => new(name, IsDemo: false, device, ModelSize);
}
