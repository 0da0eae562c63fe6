using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PageAtlas.Server.Api;

namespace PageAtlas.Server;

/// <summary>
/// The explorer's HTTP server, running: Kestrel on one address and port, the access gate in front of
/// the API and the front end. <see cref="Start"/> returns once it listens; <see cref="Url"/> is the
/// address to open, token included.
/// </summary>
public sealed class ExplorerServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ExplorerServer(WebApplication app, Uri root, AccessToken token)
    {
        _app = app;
        Root = root;
        Url = new Uri(root, $"?token={token.Value}");
    }

    /// <summary>The server's root, without the token.</summary>
    public Uri Root { get; }

    /// <summary>The URL to open: the root with the token, which the first visit turns into a cookie.</summary>
    public Uri Url { get; }

    /// <summary>Starts listening (a port in use is a <see cref="FileAccessException"/>-like one-line failure for the host to print).</summary>
    public static async Task<ExplorerServer> Start(ExplorerOptions options, CancellationToken cancellation)
    {
        var sources = new ExplorerSources(options.SnapshotFiles);
        var builder = WebApplication.CreateSlimBuilder();
        // The host prints one line (the URL); ASP.NET Core's own logging would interleave its lines.
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Bind, options.Port);
        });
        var app = builder.Build();
        int port = options.Port;
        var gate = new AccessGate(options.Token, AccessGate.AllowedHosts(options.Bind, options.AllowedHosts), port);
        app.Use(gate.Invoke);
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
        // MapFallback's default pattern leaves out paths that look like files ({*path:nonfile}): the
        // front end's own files (/main.js) must reach StaticAssets too.
        app.MapFallback("/{**path}", (RequestDelegate)StaticAssets.Serve);
        try
        {
            await app.StartAsync(cancellation);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new InvalidRequestException($"cannot listen on {Endpoint(options.Bind, options.Port)}: {e.Message}", e);
        }
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var bound = new Uri(addresses.First());
        // The gate was made before the kernel chose a free port; the cookie's name needs the real one.
        gate.Port = bound.Port;
        // A loopback or wildcard server is opened from this machine: its URL names loopback.
        bool everywhere = options.Bind.Equals(IPAddress.Any) || options.Bind.Equals(IPAddress.IPv6Any);
        string host = IPAddress.IsLoopback(options.Bind) || everywhere ? "127.0.0.1" : bound.Host;
        return new ExplorerServer(app, new Uri($"http://{host}:{bound.Port}/"), options.Token);
    }

    /// <summary>Runs until <paramref name="cancellation"/> ends it.</summary>
    public Task WaitAsync(CancellationToken cancellation) => _app.WaitForShutdownAsync(cancellation);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string Endpoint(IPAddress address, int port) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
}
