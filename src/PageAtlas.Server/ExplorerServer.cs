using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PageAtlas.Linux;
using PageAtlas.Server.Api;
using PageAtlas.Server.Live;
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
    private readonly KeptSnapshots _kept;

    private ExplorerServer(GatedHost host, AccessToken token, KeptSnapshots kept)
    {
        _host = host;
        _kept = kept;
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
        var live = new LiveHub(pid => LiveProcess.Open(pid));
        var kept = new KeptSnapshots(ExplorerOptions.MostKept);
        var uploads = options.MaxUpload is { } most ? new SnapshotUploads(sources, kept, most) : null;
        var listen = new ListenOptions(options.Port, options.Bind, options.Token, options.AllowedHosts, new HashSet<string>(StringComparer.Ordinal) { UploadEndpoints.Path, LabEndpoints.RunPath });
        var labs = new LabRuns(new LabSnapshots(sources, kept, options.MaxUpload));
        var host = await GatedHost.Start(listen, app =>
        {
            ProcessEndpoints.Map(app, sources);
            FrameEndpoints.Map(app, sources);
            PageTableEndpoints.Map(app, sources);
            PhysicalMapEndpoints.Map(app, sources);
            ShareEndpoints.Map(app, sources);
            LiveEndpoints.Map(app, sources, live);
            PaletteEndpoint.Map(app);
            SourceEndpoints.Map(app, sources, options.MaxUpload);
            UploadEndpoints.Map(app, uploads);
            DiffEndpoints.Map(app, sources);
            LabEndpoints.Map(app, labs);
            app.MapRead("/api/{**rest}", (context => ApiResponse.Error(context, StatusCodes.Status404NotFound, "no such API endpoint")));
            MetricsEndpoint.Map(app, metrics);
            // MapFallback's default pattern leaves out paths that look like files ({*path:nonfile}): the
            // front end's own files (/main.js) must reach StaticAssets too.
            app.MapFallback("/{**path}", (RequestDelegate)StaticAssets.Serve);
        }, cancellation);
        // The explorer opens on the process list: its first reading starts now (the census waits for a scrape).
        _ = measurements.Processes.Get();
        return new ExplorerServer(host, options.Token, kept);
    }

    /// <summary>Runs until <paramref name="cancellation"/> ends it.</summary>
    public Task WaitAsync(CancellationToken cancellation) => _host.WaitAsync(cancellation);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _kept.Dispose();
    }
}
