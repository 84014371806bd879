namespace ZImageSharp.Cli.Commands.SelfTest;

/// <summary>The parsed <c>zimage selftest</c> command line.</summary>
/// <param name="Device">cpu, cuda or auto.</param>
/// <param name="Filter">Only cases matching this text, or null.</param>
/// <param name="Json">A JSON document instead of the table.</param>
/// <param name="Quick">The quick catalog only.</param>
/// <param name="Threads">CPU threads, or null for all cores.</param>
internal sealed record SelfTestSettings(string Device, string? Filter, bool Json, bool Quick, int? Threads);
