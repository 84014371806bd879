using System.Security.Cryptography;

namespace ZImageSharp.Server.Jobs;

/// <summary>Job and image ids: 128 random bits as 32 lowercase hex digits, so an id cannot be guessed or enumerated.</summary>
internal static class JobIds
{
    /// <summary>A fresh id.</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>True when <paramref name="id"/> has the shape of an id (cheap rejection before a lookup).</summary>
    public static bool IsWellFormed(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);
}
