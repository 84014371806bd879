using ZImageSharp.Tensors;

namespace ZImageSharp.Verification.Tests;

/// <summary>The catalog covers the whole op set, in the dtypes and shapes the issue asks for, with unique names.</summary>
public sealed class CatalogCoverageTests
{
    // Which catalog op names exercise which IKernels entry point.
    private static readonly Dictionary<OpKind, string[]> Names = new()
    {
        [OpKind.Copy] = ["copy", "cast", "concat"],
        [OpKind.Fill] = ["fill"],
        [OpKind.IndexSelect] = ["index-select"],
        [OpKind.Unary] = [.. Enum.GetValues<UnaryOp>().Select(o => $"unary.{o.ToString().ToLowerInvariant()}")],
        [OpKind.Binary] = [.. Enum.GetValues<BinaryOp>().Select(o => $"binary.{o.ToString().ToLowerInvariant()}")],
        [OpKind.Affine] = ["affine"],
        [OpKind.Clamp] = ["clamp"],
        [OpKind.RmsNorm] = ["rmsnorm"],
        [OpKind.RmsNormScaled] = ["rmsnorm-scaled"],
        [OpKind.LayerNorm] = ["layernorm"],
        [OpKind.GroupNorm] = ["groupnorm"],
        [OpKind.Softmax] = ["softmax"],
        [OpKind.MatMul] = ["matmul"],
        [OpKind.Conv2d] = ["conv2d"],
        [OpKind.UpsampleNearest] = ["upsample"],
        [OpKind.Rope] = ["rope"],
        [OpKind.Attention] = ["attention"],
        [OpKind.SwiGlu] = ["swiglu"],
        [OpKind.Reduce] = [.. Enum.GetValues<ReduceOp>().Select(o => $"reduce.{o.ToString().ToLowerInvariant()}")],
    };

    [Fact]
    public void EveryKernelOp_AndEveryVariant_HasQuickCasesInF32AndBf16()
    {
        IReadOnlyList<OpCase> quick = SelfTestRunner.Select(OpCatalog.All, quick: true, filter: null);
        foreach (OpKind kind in Enum.GetValues<OpKind>())
        {
            Assert.True(Names.ContainsKey(kind), $"{kind} has no catalog names");
            foreach (string name in Names[kind])
            {
                DType[] dtypes = [.. quick.Where(c => c.Op == name).Select(c => c.DType).Distinct()];
                Assert.True(dtypes.Length > 0, $"no quick case for {name}");
                if (kind is not (OpKind.Fill or OpKind.IndexSelect or OpKind.Copy))
                {
                    Assert.Contains(DType.F32, dtypes);
                    Assert.Contains(DType.BF16, dtypes);
                }
            }
        }

        Assert.Empty(OpCatalog.All.Select(c => c.Op).Distinct().Except(Names.Values.SelectMany(n => n)));
    }

    [Fact]
    public void Cases_HaveUniqueNames_AndTheQuickOnesIncludeDitSizedRows()
    {
        string[] names = [.. OpCatalog.All.Select(c => c.ToString())];
        Assert.Equal(names.Length, names.Distinct().Count());
        IReadOnlyList<OpCase> quick = SelfTestRunner.Select(OpCatalog.All, quick: true, filter: null);
        foreach (string op in new[] { "rmsnorm", "rmsnorm-scaled", "layernorm", "binary.mul" })
        {
            Assert.Contains(quick, c => c.Op == op && c.Name.StartsWith("[1, 4128, 3840]", StringComparison.Ordinal));
        }

        Assert.Contains(OpCatalog.All, c => !c.Quick && c.Op == "matmul" && c.Name.Contains("[1, 4128, 3840]·[3840, 3840]ᵀ"));
        Assert.Contains(quick, c => c.Op == "attention" && c.Name.Contains("GQA") && c.Name.Contains("causal"));
    }

    [Fact]
    public void Inputs_AreTheSameOnEveryCall_AndRepresentableInTheirDType()
    {
        foreach (OpCase c in SelfTestRunner.Select(OpCatalog.All, quick: true, filter: "[5, 1001]"))
        {
            IReadOnlyList<HostInput> first = c.CreateInputs(), second = c.CreateInputs();
            for (int i = 0; i < first.Count; i++)
            {
                Assert.Equal(first[i].Values, second[i].Values);
                foreach (double v in first[i].Values)
                {
                    Assert.Equal(v, (double)RoundTo(v, first[i].DType));
                }
            }
        }
    }

    private static float RoundTo(double v, DType dtype) => dtype switch
    {
        DType.BF16 => BFloat16.FromSingle((float)v).ToSingle(),
        DType.F16 => (float)(Half)(float)v,
        _ => (float)v,
    };
}
