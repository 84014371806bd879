using System.Text.RegularExpressions;
using System.Xml.Linq;
using ZImageSharp.Testing;

namespace ZImageSharp.Architecture.Tests;

/// <summary>Enforces the reference rules written in docs/ARCHITECTURE.md against every .csproj in the repository.</summary>
public sealed partial class ProjectReferenceTests
{
    private static readonly Lazy<Dictionary<string, Rule>> Rules = new(ReadRules);

    [Fact]
    public void EverySourceProject_IsInTheTable()
    {
        foreach (string project in Projects("src"))
        {
            Assert.True(Rules.Value.ContainsKey(project), $"src project {project} is missing from the table in docs/ARCHITECTURE.md.");
        }
    }

    [Fact]
    public void SourceProjects_ReferenceOnlyWhatTheTableAllows()
    {
        foreach (string project in Projects("src"))
        {
            Rule rule = Rules.Value[project];
            foreach (string reference in ProjectReferences(project, "src"))
            {
                Assert.True(rule.MayReference.Contains(reference), $"{project} references {reference}, which docs/ARCHITECTURE.md does not allow (allowed: {string.Join(", ", rule.MayReference)}).");
            }
        }
    }

    [Fact]
    public void UnsafeCode_IsConfinedToTheProjectsTheTableAllows()
    {
        foreach (string project in Projects("src"))
        {
            bool allowsUnsafe = Csproj(project, "src").Descendants("AllowUnsafeBlocks").Any(e => e.Value.Trim() == "true");
            Assert.False(allowsUnsafe && !Rules.Value[project].Unsafe, $"{project} enables unsafe code but docs/ARCHITECTURE.md says it must not.");
        }
    }

    [Fact]
    public void TestAndBenchmarkProjects_ReferenceOnlySourceAndTesting()
    {
        var sources = Projects("src").ToHashSet();
        foreach (string project in Projects("tests"))
        {
            foreach (string reference in ProjectReferences(project, "tests"))
            {
                Assert.True(sources.Contains(reference) || reference == "ZImageSharp.Testing", $"{project} references {reference}.");
            }
        }

        foreach (string project in Projects("bench"))
        {
            foreach (string reference in ProjectReferences(project, "bench"))
            {
                Assert.True(sources.Contains(reference), $"benchmark {project} references {reference}; benchmarks may use src projects only.");
            }
        }
    }

    [Fact]
    public void TheRulesTable_IsWellFormed()
    {
        Assert.Contains("ZImageSharp.Tensors", Rules.Value.Keys);
        Assert.Empty(Rules.Value["ZImageSharp.Tensors"].MayReference);
        Assert.DoesNotContain("ZImageSharp.Cpu", Rules.Value["ZImageSharp.Models"].MayReference);
        foreach (var (name, rule) in Rules.Value)
        {
            foreach (string reference in rule.MayReference)
            {
                Assert.True(Rules.Value.ContainsKey(reference), $"{name} may reference {reference}, which is not a row of the table.");
            }
        }
    }

    private static IEnumerable<string> Projects(string folder)
    {
        string root = Repository.Path(folder);
        return Directory.Exists(root)
            ? Directory.GetFiles(root, "*.csproj", SearchOption.AllDirectories).Select(Path.GetFileNameWithoutExtension).OfType<string>()
            : [];
    }

    private static XDocument Csproj(string project, string folder)
        => XDocument.Load(Directory.GetFiles(Repository.Path(folder), project + ".csproj", SearchOption.AllDirectories).Single());

    private static IEnumerable<string> ProjectReferences(string project, string folder)
        => Csproj(project, folder).Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')));

    private static Dictionary<string, Rule> ReadRules()
    {
        string text = File.ReadAllText(Repository.Path("docs", "ARCHITECTURE.md"));
        int begin = text.IndexOf("<!-- allowed-references:begin -->", StringComparison.Ordinal);
        int end = text.IndexOf("<!-- allowed-references:end -->", StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "docs/ARCHITECTURE.md lacks the allowed-references markers.");
        var rules = new Dictionary<string, Rule>();
        foreach (string line in text[begin..end].Split('\n'))
        {
            string[] cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length < 6 || !cells[1].StartsWith("ZImageSharp.", StringComparison.Ordinal))
            {
                continue;
            }

            var allowed = ProjectName().Matches(cells[3]).Select(m => m.Value).ToHashSet();
            rules.Add(cells[1], new Rule(allowed, cells[4] == "yes"));
        }

        return rules;
    }

    [GeneratedRegex(@"ZImageSharp\.[A-Za-z]+")]
    private static partial Regex ProjectName();

    private sealed record Rule(HashSet<string> MayReference, bool Unsafe);
}
