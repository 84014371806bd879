namespace ZImageSharp.Cli;

/// <summary>Process exit codes of <c>zimage</c>.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>An unexpected failure (a bug or an environment problem): the message names the exception type.</summary>
    public const int Failure = 1;

    /// <summary>Bad usage or bad input: unknown option, missing path, malformed checkpoint, missing shard.</summary>
    public const int InputError = 2;

    /// <summary>Stopped by Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
