using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace PageAtlas.LiveTests.Explorer;

/// <summary>
/// A `pageatlas serve` the test started: its printed URL (token included), an HTTP client that sends
/// the token as a Bearer header, and on dispose Ctrl+C (SIGINT), after which the server must have
/// ended by itself with exit 0.
/// </summary>
internal sealed class ServedExplorer : IDisposable
{
    private readonly RunningCli _cli;

    private ServedExplorer(RunningCli cli, Uri url)
    {
        _cli = cli;
        Url = url;
        Root = new Uri(url.GetLeftPart(UriPartial.Path));
        Token = url.Query["?token=".Length..];
        Client = Authorised(Token);
    }

    /// <summary>The URL the server printed, with ?token=.</summary>
    public Uri Url { get; }

    /// <summary>The server's root, without the token.</summary>
    public Uri Root { get; }

    /// <summary>The access token.</summary>
    public string Token { get; }

    /// <summary>A client that sends the token.</summary>
    public HttpClient Client { get; }

    /// <summary>The server's pid.</summary>
    public int Pid => _cli.Pid;

    /// <summary>Starts `pageatlas serve` with <paramref name="args"/> and waits for its URL line (a bound on a hang, not a timing assert).</summary>
    public static ServedExplorer Start(params string[] args) => StartWith(null, args);

    /// <summary>As <see cref="Start"/>, with <paramref name="environment"/> added (TMPDIR: where its uploads go).</summary>
    public static ServedExplorer StartWith(Dictionary<string, string>? environment, params string[] args)
    {
        var (cli, text) = RunningCli.StartServer(["serve", .. args], environment);
        const string Prefix = "PageAtlas Explorer: ";
        Assert.StartsWith(Prefix, text);
        return new ServedExplorer(cli, new Uri(text[Prefix.Length..]));
    }

    /// <summary>A client sending <paramref name="token"/> as a Bearer header (null: none), redirects not followed.</summary>
    public static HttpClient Authorised(string? token)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(120) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>GETs <paramref name="path"/> (relative to the root) and parses the JSON answer, asserting <paramref name="status"/>.</summary>
    public JsonElement Get(string path, HttpStatusCode status = HttpStatusCode.OK)
    {
        using var response = Client.Send(new HttpRequestMessage(HttpMethod.Get, new Uri(Root, path)));
        string body = new StreamReader(response.Content.ReadAsStream()).ReadToEnd();
        Assert.True(response.StatusCode == status, $"GET {path}: {(int)response.StatusCode} {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// POSTs to <paramref name="path"/> as the explorer's page does: the token, this server's Origin (or
    /// <paramref name="origin"/>, none when null) and the X-PageAtlas-Request header (unless not
    /// <paramref name="header"/>). Returns the status and the JSON answer.
    /// </summary>
    public (HttpStatusCode Status, JsonElement Body) Post(string path, HttpContent? content = null, string? origin = "self", bool header = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Root, path)) { Content = content };
        if (origin is not null) request.Headers.Add("Origin", origin == "self" ? Root.GetLeftPart(UriPartial.Authority) : origin);
        if (header) request.Headers.Add("X-PageAtlas-Request", "explorer");
        using var response = Client.Send(request);
        using var json = JsonDocument.Parse(new StreamReader(response.Content.ReadAsStream()).ReadToEnd());
        return (response.StatusCode, json.RootElement.Clone());
    }

    /// <summary>Ctrl+C, then the exit it ends with and its standard error.</summary>
    public (int Code, string Err) Stop()
    {
        _cli.Signal(2);
        var (code, _, err) = _cli.Wait(TimeSpan.FromSeconds(30));
        return (code, err);
    }

    public void Dispose()
    {
        Client.Dispose();
        _cli.Dispose();
    }
}
