namespace ZImageSharp.Server.Jobs;

/// <summary>A finished image kept in memory until its job expires: the PNG (with its parameters) and where it came from.</summary>
/// <param name="Id">Unguessable id: the image URL is a capability, like a signed URL (see README).</param>
/// <param name="JobId">The job that made it.</param>
/// <param name="Index">0-based position in the job's images.</param>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="Seed">The seed of the job (the images of one job share it, as one noise batch).</param>
/// <param name="Png">The encoded file.</param>
public sealed record StoredImage(string Id, string JobId, int Index, int Width, int Height, ulong Seed, byte[] Png)
{
    /// <summary>The URL path that serves the image.</summary>
    public string Path => $"/api/v1/images/{Id}";

    /// <summary>A file name for downloads.</summary>
    public string FileName => $"zimage-{Seed}-{Index + 1}.png";
}
