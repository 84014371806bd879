using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ZImageSharp.IO.Checkpoints;

namespace ZImageSharp.Cli.Commands.Info;

/// <summary>
/// Prints an <see cref="InfoReport"/> as one JSON document:
/// <c>{"path", "components": [{"name", "class", "source", "files", "tensors": [{"name", "dtype", "shape", "bytes",
/// "parameters", "file"}], "metadata", "totals"}], "totals": {"tensors", "parameters", "bytes", "dtypes"}, "zimage"}</c>;
/// <c>"zimage"</c> (see <see cref="ZImageJsonFormatter"/>) only for a Z-Image checkpoint or component.
/// </summary>
internal static class InfoJsonFormatter
{
    public static void Write(InfoReport report, TextWriter output)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("path", report.Path);
            json.WriteStartArray("components");
            foreach (ComponentReport component in report.Components)
            {
                WriteComponent(json, component);
            }

            json.WriteEndArray();
            WriteTotals(json, report.Totals);
            if (report.ZImage is not null)
            {
                ZImageJsonFormatter.Write(json, report.ZImage, WriteTotals);
            }

            json.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static void WriteComponent(Utf8JsonWriter json, ComponentReport component)
    {
        json.WriteStartObject();
        json.WriteString("name", component.Name);
        json.WriteString("class", component.ClassName);
        json.WriteString("source", component.Source);
        json.WriteStartArray("files");
        component.Files.ToList().ForEach(json.WriteStringValue);
        json.WriteEndArray();
        json.WriteStartArray("tensors");
        foreach (TensorInfo t in component.Tensors)
        {
            json.WriteStartObject();
            json.WriteString("name", t.Name);
            json.WriteString("dtype", t.DType.ToString());
            json.WriteStartArray("shape");
            foreach (long d in t.Dims)
            {
                json.WriteNumberValue(d);
            }

            json.WriteEndArray();
            json.WriteNumber("bytes", t.ByteLength);
            json.WriteNumber("parameters", t.ElementCount);
            json.WriteString("file", t.FilePath);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("metadata");
        foreach ((string key, string value) in component.Metadata)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
        WriteTotals(json, component.Totals);
        json.WriteEndObject();
    }

    private static void WriteTotals(Utf8JsonWriter json, TensorTotals totals)
    {
        json.WriteStartObject("totals");
        json.WriteNumber("tensors", totals.Tensors);
        json.WriteNumber("parameters", totals.Parameters);
        json.WriteNumber("bytes", totals.Bytes);
        json.WriteStartObject("dtypes");
        foreach ((string dtype, int count) in totals.DTypes)
        {
            json.WriteNumber(dtype, count);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
