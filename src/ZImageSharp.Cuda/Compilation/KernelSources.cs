using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace ZImageSharp.Cuda.Compilation;

/// <summary>
/// The CUDA C sources embedded in this assembly (<c>Kernels/Source/*.cu</c> are modules, <c>*.cuh</c> headers they
/// include by name). Headers are handed to NVRTC as in-memory include files, so no toolkit header is ever needed.
/// </summary>
internal static class KernelSources
{
    private const string Prefix = "ZImageSharp.Cuda.Kernels.";

    private static readonly Lazy<FrozenDictionary<string, string>> s_files = new(ReadAll);

    /// <summary>Every module (<c>.cu</c> file name), sorted.</summary>
    public static IReadOnlyList<string> Modules => [.. s_files.Value.Keys.Where(k => k.EndsWith(".cu", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    /// <summary>Every header (<c>.cuh</c> file name) with its text, sorted by name.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Headers =>
        [.. s_files.Value.Where(kv => kv.Key.EndsWith(".cuh", StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal)];

    /// <summary>The text of a module or header.</summary>
    /// <exception cref="ArgumentException">When no such file is embedded.</exception>
    public static string Read(string fileName) =>
        s_files.Value.TryGetValue(fileName, out string? text)
            ? text
            : throw new ArgumentException($"No embedded kernel source '{fileName}'; embedded: {string.Join(", ", s_files.Value.Keys.Order(StringComparer.Ordinal))}.", nameof(fileName));

    /// <summary>A hash of a module, every header and the compile options: the disk cache key's source part (any edit
    /// to any header invalidates every module, which is simple and safe).</summary>
    public static string Hash(string module, IEnumerable<string> options)
    {
        var text = new StringBuilder();
        text.Append(module).Append('\0').Append(Read(module)).Append('\0');
        foreach (var header in Headers)
        {
            text.Append(header.Key).Append('\0').Append(header.Value).Append('\0');
        }

        foreach (string option in options)
        {
            text.Append(option).Append('\0');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }

    private static FrozenDictionary<string, string> ReadAll()
    {
        Assembly assembly = typeof(KernelSources).Assembly;
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using Stream stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            files[resource[Prefix.Length..]] = reader.ReadToEnd();
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
