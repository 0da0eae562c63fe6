using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PageAtlas.Server.Api;
using PageAtlas.Server.Measurement;
using PageAtlas.Server.Metrics;

namespace PageAtlas.Server;

/// <summary>
/// The explorer's HTTP server, running: Kestrel on one address and port, the access gate in front of
/// the API and the front end. <see cref="Start"/> returns once it listens; <see cref="Url"/> is the
/// address to open, token included.
/// </summary>
public sealed class ExplorerServer : IRunningServer
{
    private readonly GatedHost _host;

    private ExplorerServer(GatedHost host, AccessToken token)
    {
        _host = host;
        Url = new Uri(host.Root, $"?token={token.Value}");
    }

    /// <summary>The server's root, without the token.</summary>
    public Uri Root => _host.Root;

    /// <summary>The URL to open: the root with the token, which the first visit turns into a cookie.</summary>
    public Uri Url { get; }

    /// <summary>Starts listening (a port in use is an <see cref="InvalidRequestException"/>: a one-line failure for the host to print).</summary>
    public static async Task<ExplorerServer> Start(ExplorerOptions options, CancellationToken cancellation)
    {
        // One reading of the live machine for the process list and /metrics (Prometheus may scrape the
        // explorer too: the live machine's metrics, as `pageatlas exporter` serves them by default).
        var measurements = new LiveMeasurements(MetricsOptions.Default);
        var sources = new ExplorerSources(options.SnapshotFiles, measurements.Processes);
        var metrics = new MetricsCollector(measurements);
        var listen = new ListenOptions(options.Port, options.Bind, options.Token, options.AllowedHosts);
        var host = await GatedHost.Start(listen, app =>
        {
            ProcessEndpoints.Map(app, sources);
            FrameEndpoints.Map(app, sources);
            PaletteEndpoint.Map(app);
            app.MapRead("/api/sources", (context => ApiResponse.Json(context, json =>
            {
                json.WriteStartObject();
                json.WriteString("schema", "pageatlas/sources");
                json.WriteStartArray("sources");
                foreach (var id in sources.Ids)
                {
                    json.WriteStartObject();
                    json.WriteString("id", id);
                    json.WriteString("kind", id == "live" ? "live" : "snapshot");
                    if (sources.SnapshotFile(id) is { } file) json.WriteString("file", System.IO.Path.GetFileName(file));
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            })));
            app.MapRead("/api/{**rest}", (context => ApiResponse.Error(context, StatusCodes.Status404NotFound, "no such API endpoint")));
            MetricsEndpoint.Map(app, metrics);
            // MapFallback's default pattern leaves out paths that look like files ({*path:nonfile}): the
            // front end's own files (/main.js) must reach StaticAssets too.
            app.MapFallback("/{**path}", (RequestDelegate)StaticAssets.Serve);
        }, cancellation);
        // The explorer opens on the process list: its first reading starts now (the census waits for a scrape).
        _ = measurements.Processes.Get();
        return new ExplorerServer(host, options.Token);
    }

    /// <summary>Runs until <paramref name="cancellation"/> ends it.</summary>
    public Task WaitAsync(CancellationToken cancellation) => _host.WaitAsync(cancellation);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
