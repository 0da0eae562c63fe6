using System.Text;
using PageAtlas.Analysis;
using PageAtlas.Rendering;
using PageAtlas.Server.Measurement;
using PageAtlas.Server.Metrics;
using Xunit;

namespace PageAtlas.Tests.Metrics;

public class ExpositionWriterTests
{
    private static readonly MetricFamily[] s_families =
    [
        new("pageatlas_process_pss_bytes", MetricType.Gauge, "PSS", "bytes",
            [new MetricSample([new("pid", "7"), new("comm", "sleep")], 1_000_000_000_000_000), new MetricSample([new("pid", "8"), new("comm", "x")], 0.25)]),
        new("pageatlas_exporter_errors", MetricType.Counter, "Errors", null, [new MetricSample([], 3)]),
    ];

    [Fact]
    public void PrometheusTextNamesCountersTotalThroughoutWithoutUnitsOrEof()
    {
        string text = ExpositionWriter.Write(s_families, ExpositionFormat.Prometheus);
        Assert.Equal(
            "# HELP pageatlas_process_pss_bytes PSS\n" +
            "# TYPE pageatlas_process_pss_bytes gauge\n" +
            "pageatlas_process_pss_bytes{pid=\"7\",comm=\"sleep\"} 1000000000000000\n" +
            "pageatlas_process_pss_bytes{pid=\"8\",comm=\"x\"} 0.25\n" +
            "# HELP pageatlas_exporter_errors_total Errors\n" +
            "# TYPE pageatlas_exporter_errors_total counter\n" +
            "pageatlas_exporter_errors_total 3\n", text);
    }

    [Fact]
    public void OpenMetricsNamesCounterFamiliesWithoutTotalAddsUnitsAndEndsWithEof()
    {
        string text = ExpositionWriter.Write(s_families, ExpositionFormat.OpenMetrics);
        Assert.Equal(
            "# HELP pageatlas_process_pss_bytes PSS\n" +
            "# TYPE pageatlas_process_pss_bytes gauge\n" +
            "# UNIT pageatlas_process_pss_bytes bytes\n" +
            "pageatlas_process_pss_bytes{pid=\"7\",comm=\"sleep\"} 1000000000000000\n" +
            "pageatlas_process_pss_bytes{pid=\"8\",comm=\"x\"} 0.25\n" +
            "# HELP pageatlas_exporter_errors Errors\n" +
            "# TYPE pageatlas_exporter_errors counter\n" +
            "pageatlas_exporter_errors_total 3\n" +
            "# EOF\n", text);
    }

    [Theory]
    [InlineData(ExpositionFormat.Prometheus, "say \\\"hi\\\" \\\\ \\n")]
    [InlineData(ExpositionFormat.OpenMetrics, "say \\\"hi\\\" \\\\ \\n")]
    public void LabelValuesEscapeQuotesBackslashesAndLineFeeds(ExpositionFormat format, string escaped)
    {
        var family = new MetricFamily("m", MetricType.Gauge, "h", null, [new MetricSample([new("comm", "say \"hi\" \\ \n")], 1)]);
        Assert.Contains($"m{{comm=\"{escaped}\"}} 1\n", ExpositionWriter.Write([family], format), StringComparison.Ordinal);
    }

    [Fact]
    public void HelpEscapesBackslashesAndLineFeedsAndOpenMetricsAlsoQuotes()
    {
        var family = new MetricFamily("m", MetricType.Gauge, "a \"b\" \\ c\nd", null, []);
        Assert.StartsWith("# HELP m a \"b\" \\\\ c\\nd\n", ExpositionWriter.Write([family], ExpositionFormat.Prometheus), StringComparison.Ordinal);
        Assert.StartsWith("# HELP m a \\\"b\\\" \\\\ c\\nd\n", ExpositionWriter.Write([family], ExpositionFormat.OpenMetrics), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(9007199254740991d, "9007199254740991")]
    [InlineData(1e300, "1E+300")]
    [InlineData(-2d, "-2")]
    public void NumbersAreSpelledAsBothFormatsParseThem(double value, string spelled) => Assert.Equal(spelled, ExpositionWriter.Number(value));

    /// <summary>
    /// A process names itself: quotes, backslashes, a line feed, a terminal escape and bytes that are
    /// not UTF-8 (kept by the library as U+DC80 + byte). Its series stays one line of valid UTF-8
    /// without control characters, and unescaping the label gives the name as the CLI shows it.
    /// </summary>
    [Theory]
    [InlineData("a\"b\\c\nd")]
    [InlineData("\u001b[31mred\u001b[0m")]
    [InlineData("bad\uDCFF\uDCC3utf8")]
    [InlineData("} 1\nfake_metric 2")]
    [InlineData("\u202Eevil\u2028")]
    public void HostileCommandNamesStayOneLineOfValidUtf8(string command)
    {
        var reading = new ProcessReading(42, 0, "root", command, "/a\"\n", default, 8192, 3);
        var families = ProcessFamilies.Build([reading], null).ToArray();
        foreach (var format in new[] { ExpositionFormat.Prometheus, ExpositionFormat.OpenMetrics })
        {
            string text = ExpositionWriter.Write(families, format);
            byte[] bytes = new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(text);
            Assert.Equal(text, new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes));
            Assert.DoesNotContain(text, c => c != '\n' && TerminalText.IsUnsafe(c));
            var line = text.Split('\n').Single(l => l.StartsWith("pageatlas_process_vmas{", StringComparison.Ordinal));
            Assert.EndsWith("} 3", line, StringComparison.Ordinal);
            Assert.Equal(TerminalText.Escape(command), LabelValue(line, "comm"));
            Assert.Equal(TerminalText.Escape("/a\"\n"), LabelValue(line, "cgroup"));
        }
    }

    [Theory]
    [InlineData("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", ExpositionFormat.OpenMetrics)]
    [InlineData("text/plain;version=0.0.4", ExpositionFormat.Prometheus)]
    [InlineData("*/*", ExpositionFormat.Prometheus)]
    [InlineData(null, ExpositionFormat.Prometheus)]
    public void TheAcceptHeaderChoosesTheFormat(string? accept, ExpositionFormat format)
    {
        Assert.Equal(format, ExpositionFormats.Negotiate(accept));
        Assert.StartsWith(format == ExpositionFormat.OpenMetrics ? "application/openmetrics-text; version=1.0.0" : "text/plain; version=0.0.4",
            ExpositionFormats.ContentType(format), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file-dirty", "file_dirty")]
    [InlineData("anonymous-mapped", "anonymous_mapped")]
    [InlineData("lru", "lru")]
    public void CensusKindsAreTheRowsJsonIdsAsIdentifiers(string id, string kind) =>
        Assert.Equal(kind, MachineFamilies.CensusKind(new CensusRow(id, "prose that may be reworded", "", 0, null, null)));

    [Fact]
    public void TheUnifiedCgroupLineIsFound()
    {
        Assert.Equal("/system.slice/ssh.service", Linux.ProcCgroup.UnifiedPath("12:cpu:/x\n0::/system.slice/ssh.service\n"));
        Assert.Null(Linux.ProcCgroup.UnifiedPath("12:cpu:/x\n"));
    }

    /// <summary>Reads one label's value back as a Prometheus parser does: \\, \" and \n unescaped, to the closing quote.</summary>
    private static string LabelValue(string line, string name)
    {
        int i = line.IndexOf($"{name}=\"", StringComparison.Ordinal) + name.Length + 2;
        var value = new StringBuilder();
        for (; line[i] != '"'; i++)
        {
            if (line[i] != '\\') { value.Append(line[i]); continue; }
            value.Append(line[++i] switch { 'n' => '\n', char c => c });
        }
        return value.ToString();
    }
}
