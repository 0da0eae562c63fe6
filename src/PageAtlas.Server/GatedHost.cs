using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PageAtlas.Server;

/// <summary>Where a PageAtlas server listens and who may use it.</summary>
/// <param name="Port">The TCP port, or 0 for a free one the kernel picks.</param>
/// <param name="Bind">The address to listen on: loopback unless the user asked for another.</param>
/// <param name="Token">The access token every request must carry, or null where no token is asked (the exporter's --no-auth, loopback only).</param>
/// <param name="AllowedHosts">Host names besides the loopback ones and the bound address that requests may name.</param>
/// <param name="PostPaths">The paths that also take POST (from this server's own page only: <see cref="AccessGate"/>); none when null.</param>
public sealed record ListenOptions(int Port, IPAddress Bind, AccessToken? Token, IReadOnlyList<string> AllowedHosts, IReadOnlySet<string>? PostPaths = null);

/// <summary>
/// Kestrel (the slim builder) on one address and port with the <see cref="AccessGate"/> in front of
/// every endpoint: the hosting `pageatlas serve` and `pageatlas exporter` share. <see cref="Start"/>
/// returns once it listens; <see cref="Root"/> is its address as this machine reaches it.
/// </summary>
internal sealed class GatedHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatedHost(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    /// <summary>The server's root, without any token.</summary>
    public Uri Root { get; }

    /// <summary>Listens on <paramref name="options"/>' address with the endpoints <paramref name="map"/> adds behind the gate (a port in use is an <see cref="InvalidRequestException"/>).</summary>
    public static async Task<GatedHost> Start(ListenOptions options, Action<WebApplication> map, CancellationToken cancellation)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The host prints one line (the URL); ASP.NET Core's own logging would interleave its lines.
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Bind, options.Port);
        });
        var app = builder.Build();
        var gate = new AccessGate(options.Token, AccessGate.AllowedHosts(options.Bind, options.AllowedHosts), options.Port, options.PostPaths);
        app.Use(gate.Invoke);
        map(app);
        try
        {
            await app.StartAsync(cancellation);
        }
        // A port in use is an IOException (Kestrel's AddressInUseException); an address this machine
        // does not have (EADDRNOTAVAIL) or a port it may not take (EACCES) is the socket's own exception.
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
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
        return new GatedHost(app, new Uri($"http://{host}:{bound.Port}/"));
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
