namespace ZImageSharp.Cli;

/// <summary>A command line that parses but cannot be carried out (a bad --out name, an unavailable device); reported as one line, exit 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
