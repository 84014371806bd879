namespace ZImageSharp.IO.Images;

/// <summary>The 8-bit colour types <see cref="PngWriter"/> writes; values are the PNG IHDR colour-type codes.</summary>
public enum PngColorType : byte
{
    /// <summary>Red, green, blue: 3 bytes per pixel.</summary>
    Rgb = 2,

    /// <summary>Red, green, blue, alpha (not premultiplied): 4 bytes per pixel.</summary>
    Rgba = 6,
}
