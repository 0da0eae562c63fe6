using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PageAtlas.Server.Measurement;
using PageAtlas.Server.Metrics;

using PageAtlas.Server.Api;

namespace PageAtlas.Server;

/// <summary>
/// `pageatlas exporter`: only /metrics, behind the same gate as the explorer (Prometheus sends the
/// token as <c>Authorization: Bearer</c>); every other path is a 404.
/// </summary>
public sealed class ExporterServer : IRunningServer
{
    private readonly GatedHost _host;

    private ExporterServer(GatedHost host) => _host = host;

    /// <summary>The metrics' address, without the token.</summary>
    public Uri MetricsUrl => new(_host.Root, "metrics");

    /// <summary>Starts listening (a port in use is an <see cref="InvalidRequestException"/>).</summary>
    public static async Task<ExporterServer> Start(ListenOptions listen, MetricsOptions metrics, CancellationToken cancellation)
    {
        var measurements = new LiveMeasurements(metrics);
        var collector = new MetricsCollector(measurements);
        var host = await GatedHost.Start(listen, app =>
        {
            MetricsEndpoint.Map(app, collector);
            app.MapFallback(context => ApiResponse.Error(context, StatusCodes.Status404NotFound, "the exporter serves /metrics only"));
        }, cancellation);
        // Prometheus's first scrape then finds the first readings under way or done.
        measurements.Warm();
        return new ExporterServer(host);
    }

    /// <summary>Runs until <paramref name="cancellation"/> ends it.</summary>
    public Task WaitAsync(CancellationToken cancellation) => _host.WaitAsync(cancellation);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
