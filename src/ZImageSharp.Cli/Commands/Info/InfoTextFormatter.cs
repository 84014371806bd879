using System.Globalization;
using ZImageSharp.IO.Checkpoints;

namespace ZImageSharp.Cli.Commands.Info;

/// <summary>Prints an <see cref="InfoReport"/> as aligned text: per component a tensor table, totals and metadata.</summary>
internal static class InfoTextFormatter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Write(InfoReport report, TextWriter output)
    {
        for (int i = 0; i < report.Components.Count; i++)
        {
            if (i > 0)
            {
                output.WriteLine();
            }

            WriteComponent(report.Components[i], output);
        }

        if (report.Components.Count > 1)
        {
            output.WriteLine();
            output.WriteLine($"all {report.Components.Count} components:");
            WriteTotals(report.Totals, output);
        }

        if (report.ZImage is not null)
        {
            output.WriteLine();
            ZImageTextFormatter.Write(report.ZImage, output);
        }
    }

    private static void WriteComponent(ComponentReport component, TextWriter output)
    {
        string className = component.ClassName is null ? string.Empty : $" ({component.ClassName})";
        string kind = component.IsSharded ? $"shard index, {component.Files.Count} shards" : "safetensors file";
        // A single file needs no component name: it would only repeat the file name.
        bool named = component.ClassName is not null || component.Name != Path.GetFileName(component.Source);
        output.WriteLine(named ? $"{component.Name}{className}: {component.Source} ({kind})" : $"{component.Source} ({kind})");

        string[] shapes = [.. component.Tensors.Select(t => t.ShapeText)];
        string[] bytes = [.. component.Tensors.Select(t => t.ByteLength.ToString("N0", Invariant))];
        int nameWidth = component.Tensors.Select(t => t.Name.Length).Append("NAME".Length).Max();
        int dtypeWidth = component.Tensors.Select(t => t.DType.ToString().Length).Append("DTYPE".Length).Max();
        int shapeWidth = shapes.Select(s => s.Length).Append("SHAPE".Length).Max();
        int bytesWidth = bytes.Select(s => s.Length).Append("BYTES".Length).Max();
        output.WriteLine($"  {"NAME".PadRight(nameWidth)}  {"DTYPE".PadRight(dtypeWidth)}  {"SHAPE".PadRight(shapeWidth)}  {"BYTES".PadLeft(bytesWidth)}");
        for (int i = 0; i < component.Tensors.Count; i++)
        {
            TensorInfo t = component.Tensors[i];
            output.WriteLine($"  {t.Name.PadRight(nameWidth)}  {t.DType.ToString().PadRight(dtypeWidth)}  {shapes[i].PadRight(shapeWidth)}  {bytes[i].PadLeft(bytesWidth)}");
        }

        WriteTotals(component.Totals, output);
        if (component.Metadata.Count > 0)
        {
            output.WriteLine("metadata:");
            foreach ((string key, string value) in component.Metadata)
            {
                output.WriteLine($"  {key}: {value.ReplaceLineEndings("\\n")}");
            }
        }
    }

    private static void WriteTotals(TensorTotals totals, TextWriter output)
    {
        output.WriteLine(string.Create(Invariant, $"totals: {totals.Tensors:N0} tensors, {totals.Parameters:N0} parameters, {totals.Bytes:N0} bytes ({HumanBytes(totals.Bytes)})"));
        output.WriteLine("dtypes: " + string.Join(", ", totals.DTypes.Select(d => string.Create(Invariant, $"{d.Key} ({d.Value:N0} tensors)"))));
    }

    private static string HumanBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(Invariant, $"{bytes / (double)(1L << 30):F2} GiB"),
        >= 1L << 20 => string.Create(Invariant, $"{bytes / (double)(1L << 20):F2} MiB"),
        >= 1L << 10 => string.Create(Invariant, $"{bytes / (double)(1L << 10):F2} KiB"),
        _ => string.Create(Invariant, $"{bytes} B"),
    };
}
