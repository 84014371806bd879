using System.Globalization;
using System.Text.RegularExpressions;

namespace ZImageSharp.Cuda.Tests.Kernels;

/// <summary>The kernel entry points of a PTX module with the byte size of each parameter, parsed from
/// <c>.entry name( .param .u64 a, .param .align 8 .b8 b[144], ... )</c>.</summary>
internal static partial class PtxSignatures
{
    public static IReadOnlyDictionary<string, IReadOnlyList<int>> Parse(string ptx)
    {
        var entries = new Dictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
        foreach (Match entry in EntryPattern().Matches(ptx))
        {
            var sizes = new List<int>();
            foreach (Match param in ParamPattern().Matches(entry.Groups["params"].Value))
            {
                string type = param.Groups["type"].Value;
                int element = type[1..] switch
                {
                    "64" => 8,
                    "32" => 4,
                    "16" => 2,
                    "8" => 1,
                    _ => throw new FormatException($"Unknown PTX parameter type .{type} in {entry.Groups["name"].Value}."),
                };
                sizes.Add(param.Groups["count"].Success ? element * int.Parse(param.Groups["count"].Value, CultureInfo.InvariantCulture) : element);
            }

            entries[entry.Groups["name"].Value] = sizes;
        }

        return entries;
    }

    [GeneratedRegex(@"\.entry\s+(?<name>\w+)\s*\((?<params>[^)]*)\)")]
    private static partial Regex EntryPattern();

    [GeneratedRegex(@"\.param\s+(?:\.align\s+\d+\s+)?\.(?<type>[usbf]\d+)\s+\w+(?:\[(?<count>\d+)\])?")]
    private static partial Regex ParamPattern();
}
