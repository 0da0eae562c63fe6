using System.Net;
using System.Net.Http.Headers;

namespace PageAtlas.LiveTests.Metrics;

/// <summary>
/// A `pageatlas exporter` the test started: the URL and token it printed, a client that sends the
/// token as Prometheus does (Authorization: Bearer), and on dispose Ctrl+C, after which it must have
/// ended by itself with exit 0.
/// </summary>
internal sealed class RunningExporter : IDisposable
{
    private const string Prefix = "PageAtlas exporter: ";
    private readonly RunningCli _cli;

    private RunningExporter(RunningCli cli, Uri url, string? token)
    {
        _cli = cli;
        Url = url;
        Token = token;
        Client = Explorer.ServedExplorer.Authorised(token);
    }

    /// <summary>The metrics URL it printed.</summary>
    public Uri Url { get; }

    /// <summary>The token it printed, or null under --no-auth.</summary>
    public string? Token { get; }

    /// <summary>A client that sends the token.</summary>
    public HttpClient Client { get; }

    /// <summary>Its pid.</summary>
    public int Pid => _cli.Pid;

    /// <summary>Starts `pageatlas exporter ARGS` and waits for its line (a bound on a hang, not a timing assert).</summary>
    public static RunningExporter Start(params string[] args)
    {
        var (cli, text) = RunningCli.StartServer(["exporter", .. args]);
        Assert.StartsWith(Prefix, text);
        // "URL token TOKEN" or "URL (no token)".
        var words = text[Prefix.Length..].Split(' ');
        return new RunningExporter(cli, new Uri(words[0]), words[1] == "token" ? words[2] : null);
    }

    /// <summary>GETs /metrics with <paramref name="accept"/>: the status, the content type and the body.</summary>
    public (HttpStatusCode Status, string? ContentType, string Body) Scrape(string? accept = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);
        if (accept is not null) request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        using var response = (client ?? Client).Send(request);
        string body = new StreamReader(response.Content.ReadAsStream()).ReadToEnd();
        return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), body);
    }

    /// <summary>Ctrl+C, then its exit code and standard error.</summary>
    public (int Code, string Err) Stop()
    {
        _cli.Signal(2);
        var (code, _, err) = _cli.Wait(TimeSpan.FromSeconds(30));
        return (code, err);
    }

    public void Dispose()
    {
        if (!_cli.HasExited) Assert.Equal(0, Stop().Code);
        _cli.Dispose();
        Client.Dispose();
    }
}
