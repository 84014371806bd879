namespace ZImageSharp.Cli.Commands.Serve;

/// <summary>The parsed <c>zimage serve</c> command line.</summary>
/// <param name="ModelPath">The checkpoint folder, or null for the built-in demo model.</param>
/// <param name="TokenizerPath">A tokenizer.json overriding the checkpoint's, or null.</param>
/// <param name="Host">The address to listen on.</param>
/// <param name="Port">The TCP port.</param>
/// <param name="ApiKey">The key API calls need, or null.</param>
/// <param name="Insecure">Allow a public address without a key.</param>
/// <param name="MaxQueue">Jobs that may wait.</param>
/// <param name="MaxBatch">Most images per batch.</param>
/// <param name="Warmup">Warm-up generations before ready.</param>
/// <param name="OutputDirectory">Where to write images too, or null.</param>
/// <param name="ResultTtlMinutes">How long results stay.</param>
/// <param name="Device">cpu or cuda.</param>
/// <param name="Threads">CPU threads, or null for all cores.</param>
internal sealed record ServeSettings(
    string? ModelPath,
    string? TokenizerPath,
    string Host,
    int Port,
    string? ApiKey,
    bool Insecure,
    int MaxQueue,
    int MaxBatch,
    int Warmup,
    string? OutputDirectory,
    double ResultTtlMinutes,
    string Device,
    int? Threads);
