namespace ZImageSharp.Server.Generation;

/// <summary>
/// Loads the model a worker drives. It runs after the server started listening (so /api/v1/health/live answers during
/// a minutes-long load); <paramref name="progress"/> receives what is being loaded.
/// </summary>
public delegate Task<IImageGenerator> ImageGeneratorFactory(IProgress<string> progress, CancellationToken cancellationToken);
