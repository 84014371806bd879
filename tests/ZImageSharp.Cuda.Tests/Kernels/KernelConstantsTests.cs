using System.Globalization;
using System.Text.RegularExpressions;
using ZImageSharp.Cuda.Compilation;
using ZImageSharp.Tensors;

namespace ZImageSharp.Cuda.Tests.Kernels;

/// <summary>The op and dtype codes the CUDA C sources #define are the C# enum values the dispatch passes.</summary>
public sealed partial class KernelConstantsTests
{
    [Fact]
    public void DTypeCodes_MatchTheEnum() => AssertCodes<DType>("common.cuh", v => v.ToString());

    [Fact]
    public void UnaryAndBinaryCodes_MatchTheEnums()
    {
        AssertCodes<UnaryOp>("elementwise.cu", v => v.ToString());
        AssertCodes<BinaryOp>("elementwise.cu", v => v.ToString());
    }

    [Fact]
    public void ReduceCodes_MatchTheEnum() => AssertCodes<ReduceOp>("rows.cu", v => v.ToString());

    private static void AssertCodes<T>(string file, Func<T, string> name)
        where T : struct, Enum
    {
        var defines = Define().Matches(KernelSources.Read(file))
            .ToDictionary(m => m.Groups["name"].Value, m => int.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture), StringComparer.Ordinal);
        foreach (T value in Enum.GetValues<T>())
        {
            string macro = "ZI_" + name(value).ToUpperInvariant();
            Assert.True(defines.TryGetValue(macro, out int code), $"{file} does not define {macro}");
            Assert.Equal(Convert.ToInt32(value, CultureInfo.InvariantCulture), code);
        }
    }

    [GeneratedRegex(@"^#define\s+(?<name>ZI_\w+)\s+(?<value>\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex Define();
}
