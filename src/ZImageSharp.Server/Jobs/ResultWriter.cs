using System.IO.Compression;
using Microsoft.Extensions.Logging;
using ZImageSharp.IO.Images;
using ZImageSharp.Pipelines;
using ZImageSharp.Server.Hosting;

namespace ZImageSharp.Server.Jobs;

/// <summary>
/// Turns a job's generated images into PNGs carrying their parameters (as <c>zimage generate</c> writes them), and
/// with <c>--output-dir</c> also writes each one there atomically (a temporary name, then a rename).
/// </summary>
/// <param name="modelName">The model's name for the metadata.</param>
/// <param name="outputDirectory">Where to write files, or null.</param>
/// <param name="time">The clock for file names.</param>
/// <param name="logger">Where write failures go (they do not fail the job).</param>
internal sealed class ResultWriter(string modelName, string? outputDirectory, TimeProvider time, ILogger logger)
{
    /// <summary>The images of <paramref name="result"/> for <paramref name="job"/>.</summary>
    public IReadOnlyList<StoredImage> Write(GenerationJob job, GenerationResult result)
    {
        var images = new StoredImage[result.Images.Count];
        for (int i = 0; i < images.Length; i++)
        {
            GeneratedImage image = result.Images[i];
            using var png = new MemoryStream();
            // Fastest: a 1024² RGB image compresses in tens of milliseconds instead of hundreds, about 10 % larger.
            PngWriter.Write(png, image.Rgb, image.Width, image.Height, PngColorType.Rgb, ImageMetadata.For(result, i, modelName), CompressionLevel.Fastest);
            images[i] = new StoredImage(JobIds.New(), job.Id, i, image.Width, image.Height, result.Seed, png.ToArray());
            if (outputDirectory is not null)
            {
                Save(images[i]);
            }
        }

        return images;
    }

    private void Save(StoredImage image)
    {
        string name = $"{time.GetUtcNow().UtcDateTime:yyyyMMdd-HHmmss}-{image.JobId[..8]}-{image.Seed}-{image.Index + 1}.png";
        string path = Path.Combine(outputDirectory!, name);
        string temporary = path + ".partial";
        try
        {
            Directory.CreateDirectory(outputDirectory!);
            File.WriteAllBytes(temporary, image.Png);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ServerLog.WriteFailed(logger, path, e);
        }
    }
}
