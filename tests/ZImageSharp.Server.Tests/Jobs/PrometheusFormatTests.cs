using ZImageSharp.Server.Metrics;

namespace ZImageSharp.Server.Tests.Jobs;

/// <summary>The exposition format's details: escaping, number spelling, inclusive cumulative buckets, name checks.</summary>
public sealed class PrometheusFormatTests
{
    [Fact]
    public void Histogram_BucketsAreInclusiveAndCumulative_EndingInPlusInfEqualToTheCount()
    {
        var histogram = new Histogram([0.1, 1, 10]);
        foreach (double value in new[] { 0.0625, 0.5, 1, 20, 0.1 })
        {
            histogram.Observe(value);
        }

        string text = new PrometheusWriter().Histogram("t_seconds", "help", histogram, ("stage", "x")).ToString();
        Assert.Equal(
            "# HELP t_seconds help\n# TYPE t_seconds histogram\n"
            + "t_seconds_bucket{stage=\"x\",le=\"0.1\"} 2\nt_seconds_bucket{stage=\"x\",le=\"1\"} 4\nt_seconds_bucket{stage=\"x\",le=\"10\"} 4\n"
            + "t_seconds_bucket{stage=\"x\",le=\"+Inf\"} 5\nt_seconds_sum{stage=\"x\"} 21.6625\nt_seconds_count{stage=\"x\"} 5\n",
            text);
    }

    [Fact]
    public void LabelValuesAndHelp_AreEscaped_AndSpecialNumbersSpelledAsPrometheusDoes()
    {
        string text = new PrometheusWriter()
            .Gauge("g", "line one\nback\\slash", double.PositiveInfinity, ("path", "a\"b\\c\nd"))
            .Gauge("g", "ignored: the family is written once", double.NaN, ("path", "e"))
            .ToString();
        Assert.Equal("# HELP g line one\\nback\\\\slash\n# TYPE g gauge\ng{path=\"a\\\"b\\\\c\\nd\"} +Inf\ng{path=\"e\"} NaN\n", text);
        Assert.Equal(("-Inf", "0.25", "1E+20"), (PrometheusWriter.Number(double.NegativeInfinity), PrometheusWriter.Number(0.25), PrometheusWriter.Number(1e20)));
    }

    [Fact]
    public void InvalidNamesAndBounds_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => new PrometheusWriter().Counter("2bad", "h", 1));
        Assert.Throws<ArgumentException>(() => new PrometheusWriter().Counter("ok_total", "h", 1, ("bad-label", "v")));
        Assert.Throws<ArgumentException>(() => new Histogram([1, 1]));
    }
}
