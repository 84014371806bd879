using System.Globalization;
using System.Text;

namespace ZImageSharp.Server.Metrics;

/// <summary>
/// The Prometheus text exposition format (version 0.0.4): <c># HELP</c> and <c># TYPE</c> once per family, then one
/// sample per line; label values escaped (\\, \", \n), numbers in invariant form with +Inf/-Inf/NaN spelled as Prometheus
/// does, histograms as cumulative <c>_bucket{le=…}</c> plus <c>_sum</c> and <c>_count</c>.
/// </summary>
public sealed class PrometheusWriter
{
    /// <summary>The Content-Type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);

    /// <summary>A counter (monotonic total; the name should end in <c>_total</c>).</summary>
    public PrometheusWriter Counter(string name, string help, double value, params (string Name, string Value)[] labels) =>
        Family(name, help, "counter").Sample(name, labels, value);

    /// <summary>A gauge (a value that goes up and down).</summary>
    public PrometheusWriter Gauge(string name, string help, double value, params (string Name, string Value)[] labels) =>
        Family(name, help, "gauge").Sample(name, labels, value);

    /// <summary>A histogram with its buckets, sum and count.</summary>
    public PrometheusWriter Histogram(string name, string help, Histogram histogram, params (string Name, string Value)[] labels)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        Family(name, help, "histogram");
        (long[] cumulative, double sum, long count) = histogram.Snapshot();
        for (int i = 0; i < histogram.Bounds.Count; i++)
        {
            Sample(name + "_bucket", [.. labels, ("le", Number(histogram.Bounds[i]))], cumulative[i]);
        }

        Sample(name + "_bucket", [.. labels, ("le", "+Inf")], count);
        Sample(name + "_sum", labels, sum);
        return Sample(name + "_count", labels, count);
    }

    /// <summary>The text written so far.</summary>
    public override string ToString() => _text.ToString();

    /// <summary>A number as Prometheus writes it.</summary>
    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Escapes a label value: backslash, double quote and line feed.</summary>
    public static string EscapeLabel(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private PrometheusWriter Family(string name, string help, string type)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid Prometheus metric name.", nameof(name));
        }

        // A family with several label sets (per stage) is one HELP/TYPE block followed by its samples.
        if (_families.Add(name))
        {
            string escapedHelp = help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
            _text.Append("# HELP ").Append(name).Append(' ').Append(escapedHelp).Append('\n');
            _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        }

        return this;
    }

    private PrometheusWriter Sample(string name, (string Name, string Value)[] labels, double value)
    {
        _text.Append(name);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (int i = 0; i < labels.Length; i++)
            {
                if (!IsValidName(labels[i].Name))
                {
                    throw new ArgumentException($"'{labels[i].Name}' is not a valid Prometheus label name.", nameof(labels));
                }

                _text.Append(i > 0 ? "," : string.Empty).Append(labels[i].Name).Append("=\"").Append(EscapeLabel(labels[i].Value)).Append('"');
            }

            _text.Append('}');
        }

        _text.Append(' ').Append(Number(value)).Append('\n');
        return this;
    }

    private static bool IsValidName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');
}
