using System.Diagnostics;
using System.Net;

namespace PageAtlas.LiveTests.Metrics;

/// <summary>The exporter's answers themselves: its gate, its formats, and promtool's verdict on them.</summary>
public sealed class ExporterAccessTests
{
    private const string OpenMetrics = "application/openmetrics-text; version=1.0.0";

    [Fact]
    public void ATokenIsRequiredAndOnlyMetricsIsServed()
    {
        using var exporter = RunningExporter.Start();
        using var anonymous = Explorer.ServedExplorer.Authorised(null);
        using var wrong = Explorer.ServedExplorer.Authorised("wrong-token-wrong-token");
        Assert.Equal(HttpStatusCode.Unauthorized, exporter.Scrape(client: anonymous).Status);
        Assert.Equal(HttpStatusCode.Forbidden, exporter.Scrape(client: wrong).Status);
        using var other = exporter.Client.Send(new HttpRequestMessage(HttpMethod.Get, new Uri(exporter.Url, "/api/sources")));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        using var post = exporter.Client.Send(new HttpRequestMessage(HttpMethod.Post, exporter.Url));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public void NoAuthOnLoopbackServesWithoutAToken()
    {
        using var exporter = RunningExporter.Start("--no-auth", "--name", "nothing-is-named-this");
        Assert.Null(exporter.Token);
        using var anonymous = Explorer.ServedExplorer.Authorised(null);
        var (status, _, body) = exporter.Scrape(client: anonymous);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("pageatlas_process_rss_bytes{", body, StringComparison.Ordinal);
        Assert.Contains("pageatlas_exporter_processes 0\n", body, StringComparison.Ordinal);
    }

    /// <summary>promtool (from the prometheus package) parses and lints the text format; OpenMetrics is answered when asked for, counters as _total, ending with # EOF.</summary>
    [Fact]
    public void PromtoolAcceptsTheExpositionAndOpenMetricsIsAnsweredWhenAsked()
    {
        using var exporter = RunningExporter.Start("--per-class", "--largest", "5", "--min-interval", "0");
        var (status, type, text) = exporter.Scrape();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("text/plain; version=0.0.4", type);
        Assert.Contains("pageatlas_process_class_pss_bytes{", text, StringComparison.Ordinal);
        Assert.Equal(5, text.Split('\n').Count(l => l.StartsWith("pageatlas_process_rss_bytes{", StringComparison.Ordinal)));
        var (code, output) = Promtool(text);
        Assert.True(code == 0 && output.Length == 0, $"promtool check metrics: exit {code}: {output}");

        var (openStatus, openType, open) = exporter.Scrape(OpenMetrics);
        Assert.Equal(HttpStatusCode.OK, openStatus);
        Assert.StartsWith("application/openmetrics-text; version=1.0.0", openType);
        Assert.EndsWith("\n# EOF\n", open, StringComparison.Ordinal);
        Assert.Contains("# TYPE pageatlas_exporter_errors counter\n", open, StringComparison.Ordinal);
        Assert.Contains("\npageatlas_exporter_errors_total ", open, StringComparison.Ordinal);
        Assert.Contains("# UNIT pageatlas_process_pss_bytes bytes\n", open, StringComparison.Ordinal);
    }

    /// <summary>pageatlas serve has the same /metrics behind its own gate.</summary>
    [Fact]
    public void ServeHasMetricsBehindItsGate()
    {
        using var explorer = Explorer.ServedExplorer.Start();
        var metrics = new Uri(explorer.Root, "/metrics");
        using var anonymous = Explorer.ServedExplorer.Authorised(null);
        using (var refused = anonymous.Send(new HttpRequestMessage(HttpMethod.Get, metrics)))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var response = explorer.Client.Send(new HttpRequestMessage(HttpMethod.Get, metrics));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain; version=0.0.4", response.Content.Headers.ContentType?.ToString());
        string body = new StreamReader(response.Content.ReadAsStream()).ReadToEnd();
        Assert.Contains($"pageatlas_process_rss_bytes{{pid=\"{Environment.ProcessId}\"", body, StringComparison.Ordinal);
    }

    private static (int Code, string Output) Promtool(string exposition)
    {
        using var promtool = Process.Start(new ProcessStartInfo("/usr/bin/promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = promtool.StandardOutput.ReadToEndAsync();
        var error = promtool.StandardError.ReadToEndAsync();
        promtool.StandardInput.Write(exposition);
        promtool.StandardInput.Close();
        Assert.True(promtool.WaitForExit(TimeSpan.FromSeconds(60)), "promtool did not end in 60 s");
        return (promtool.ExitCode, (output.Result + error.Result).Trim());
    }
}
