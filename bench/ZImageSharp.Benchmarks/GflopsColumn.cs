using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ZImageSharp.Benchmarks;

/// <summary>The floating-point work of one benchmark invocation (a multiply-add counts 2).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FlopsAttribute(double flops) : Attribute
{
    public double Flops { get; } = flops;
}

/// <summary>A summary column: GFLOP/s = <see cref="FlopsAttribute"/> / mean time.</summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Floating-point work per invocation / mean time (multiply-add = 2 FLOPs)";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? flops = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<FlopsAttribute>()?.Flops;
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return flops is { } f && meanNs is > 0 ? (f / meanNs.Value).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) : "-";
    }
}

/// <summary>Adds <see cref="GflopsColumn"/> to the default columns.</summary>
public sealed class GflopsConfig : ManualConfig
{
    public GflopsConfig() => AddColumn(new GflopsColumn());
}
