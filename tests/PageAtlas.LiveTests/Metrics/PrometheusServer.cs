using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace PageAtlas.LiveTests.Metrics;

/// <summary>
/// A real Prometheus (Debian's package, installed by scripts/install-deps.sh when missing) on
/// loopback and a free port, scraping one target every second with the token read from a
/// credentials file, its storage in a private temporary directory removed on dispose. Queries go
/// through its HTTP API (/api/v1/query), as a dashboard's would.
/// </summary>
internal sealed class PrometheusServer : IDisposable
{
    private const string Binary = "/usr/bin/prometheus";
    private readonly Process _process;
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Uri _root;

    /// <summary>Its directory: config, token file, storage.</summary>
    public string Directory { get; }

    private PrometheusServer(string directory, Process process, Uri root)
    {
        Directory = directory;
        _process = process;
        _root = root;
    }

    /// <summary>Starts Prometheus scraping <paramref name="target"/> (host:port) with <paramref name="token"/>, and waits until it is ready.</summary>
    public static PrometheusServer Start(string target, string token)
    {
        if (!File.Exists(Binary)) Assert.Equal(0, RunScript("scripts/install-deps.sh", "--tests"));
        string directory = System.IO.Directory.CreateTempSubdirectory("pageatlas-prometheus").FullName;
        string tokenFile = Path.Combine(directory, "token");
        // The directory is the caller's alone (CreateTempSubdirectory makes it 0700): so is the token in it.
        File.WriteAllText(tokenFile, token);
        string config = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: pageatlas
                authorization:
                  credentials_file: {tokenFile}
                static_configs:
                  - targets: ['{target}']
            """);
        int port = FreePort();
        var info = new ProcessStartInfo(Binary)
        {
            ArgumentList =
            {
                $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(directory, process, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            server.WaitReady();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>An instant query: each series' labels and value.</summary>
    public List<(Dictionary<string, string> Labels, double Value)> Query(string expression)
    {
        using var response = _client.GetAsync(new Uri(_root, $"api/v1/query?query={Uri.EscapeDataString(expression)}")).GetAwaiter().GetResult();
        string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"query {expression}: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(series => (
            series.GetProperty("metric").EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!),
            double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture))).ToList();
    }

    /// <summary>
    /// Queries until <paramref name="accept"/> takes the answer, at most <paramref name="bound"/> (a
    /// hang fails the test; nothing is timed): scrapes come every second, collections take longer on
    /// a loaded machine.
    /// </summary>
    public List<(Dictionary<string, string> Labels, double Value)> QueryUntil(string expression, Func<List<(Dictionary<string, string> Labels, double Value)>, bool> accept, TimeSpan bound, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var answer = Query(expression);
            if (accept(answer)) return answer;
            if (clock.Elapsed > bound) Assert.Fail($"{what}: not within {bound.TotalSeconds} s (last answer to {expression}: {answer.Count} series)");
            Thread.Sleep(500);
        }
    }

    private void WaitReady()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(_process.HasExited, $"prometheus exited with {(_process.HasExited ? _process.ExitCode : 0)}");
            try
            {
                using var response = _client.GetAsync(new Uri(_root, "-/ready")).GetAwaiter().GetResult();
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) Assert.Fail("prometheus was not ready in 60 s");
            Thread.Sleep(200);
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static int RunScript(string script, string argument)
    {
        using var process = Process.Start(new ProcessStartInfo(Path.Combine(Specimen.RepoRoot(), script), [argument]) { WorkingDirectory = Specimen.RepoRoot() })!;
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(10)), $"{script} did not end in 10 minutes");
        return process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(30));
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        _client.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
