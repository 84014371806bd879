using System.Text;
using System.Text.Json;
using ZImageSharp.Verification;

namespace ZImageSharp.Cli.Commands.SelfTest;

/// <summary>The <c>--json</c> document of <c>zimage selftest</c> (NaN and infinities, which JSON lacks, are null).</summary>
internal static class SelfTestJson
{
    /// <summary>The whole report as one JSON object.</summary>
    public static string Format(string device, string reference, bool quick, string? filter, IReadOnlyList<CaseResult> results, IReadOnlyList<ThroughputProbe> probes)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("device", device);
            json.WriteString("reference", reference);
            json.WriteBoolean("quick", quick);
            json.WriteString("filter", filter);
            json.WriteNumber("passed", results.Count(r => r.Passed));
            json.WriteNumber("failed", results.Count(r => !r.Passed));
            json.WriteStartArray("cases");
            foreach (CaseResult r in results)
            {
                json.WriteStartObject();
                json.WriteString("op", r.Op);
                json.WriteString("case", r.Case);
                json.WriteString("dtype", r.DType.ToString().ToLowerInvariant());
                Number(json, "nmse", r.Nmse);
                Number(json, "max_abs", r.MaxAbs);
                Number(json, "nmse_bound", r.Bound.Nmse);
                Number(json, "max_abs_bound", r.MaxAbsBound);
                json.WriteBoolean("pass", r.Passed);
                Number(json, "seconds", r.Seconds);
                json.WriteString("error", r.Error);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("probes");
            foreach (ThroughputProbe p in probes)
            {
                json.WriteStartObject();
                json.WriteString("name", p.Name);
                json.WriteString("what", p.What);
                Number(json, "seconds", p.Seconds);
                Number(json, "rate", p.Rate);
                json.WriteString("unit", p.Unit);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
