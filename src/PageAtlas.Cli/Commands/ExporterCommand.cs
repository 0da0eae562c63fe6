using System.CommandLine;
using System.Net;
using PageAtlas.Cli.Help;
using PageAtlas.Rendering;
using PageAtlas.Server;
using PageAtlas.Server.Metrics;

namespace PageAtlas.Cli.Commands;

/// <summary>
/// pageatlas exporter: the machine's memory as Prometheus metrics on /metrics (docs/metrics.md).
/// Loopback only unless --bind says otherwise; the URL and the token are printed on one line;
/// Ctrl+C stops it (exit 0).
/// </summary>
internal static class ExporterCommand
{
    public static Command Create(CliConsole console)
    {
        var port = new Option<int>("--port") { Description = "TCP port to listen on (default: a free one)", DefaultValueFactory = _ => 0 };
        var bind = new Option<string?>("--bind") { Description = "Listen on this address instead of 127.0.0.1 (anyone who can reach it and has the token can read every process's memory figures)" };
        var tokenFile = new Option<string?>("--token-file") { Description = "Read the access token from this file's first line instead of making a random one (give Prometheus the same file as authorization.credentials_file)" };
        var noAuth = new Option<bool>("--no-auth") { Description = "Ask no token (loopback addresses only)" };
        var perClass = new Option<bool>("--per-class") { Description = "Also export each process's RSS, PSS and swap per segment kind (heap, lib-code, thread-stack…): up to 22 × 3 more series per process" };
        var top = new Option<int?>("--top") { Description = "Export only the N processes of largest PSS" };
        var name = new Option<string?>("--name") { Description = "Only processes whose command name matches (a glob with * and ?, else a substring)" };
        var cgroup = new Option<string?>("--cgroup") { Description = "Only processes whose cgroup (v2 path, as in /proc/PID/cgroup) starts with this" };
        var minInterval = new Option<string>("--min-interval")
        {
            Description = "Serve a collection again to scrapes within this time of it (0: read anew every scrape)",
            DefaultValueFactory = _ => $"{MetricsOptions.DefaultMinInterval.TotalSeconds}s",
        };
        var censusInterval = new Option<string>("--census-interval")
        {
            Description = "Take the frame census (every frame's kpageflags and kpagecount) this often, apart from scrapes, which serve the last one (0: anew every scrape)",
            DefaultValueFactory = _ => $"{MetricsOptions.DefaultCensusInterval.TotalSeconds}s",
        };
        var command = new Command("exporter", "Serve Prometheus metrics: every process's RSS, PSS, USS, swap, THP, page tables, and the frame census")
        {
            port, bind, tokenFile, noAuth, perClass, top, name, cgroup, minInterval, censusInterval,
        };
        CommandExamples.Add(command,
            ("pageatlas exporter", "metrics on a free loopback port: scrape the address it prints, with its token as a Bearer header"),
            ("pageatlas exporter --per-class --top 20", "also each of the 20 largest processes' memory per kind of region"));
        command.SetHandler((result, token) =>
        {
            int portNumber = result.GetValue(port);
            if (portNumber is < 0 or > 65535) throw new InvalidRequestException("--port is 0 to 65535");
            if (result.GetValue(top) is <= 0) throw new InvalidRequestException("--top must be positive");
            var address = IPAddress.Loopback;
            if (result.GetValue(bind) is { } text)
                address = IPAddress.TryParse(text, out var parsed) ? parsed : throw new InvalidRequestException($"--bind takes an IP address, not '{TerminalText.Escape(text)}'");
            AccessToken? access;
            if (result.GetValue(noAuth))
            {
                if (!IPAddress.IsLoopback(address)) throw new InvalidRequestException("--no-auth is for loopback addresses only: on another address anyone who reaches it would read every process's memory figures");
                if (result.GetValue(tokenFile) is not null) throw new InvalidRequestException("--no-auth and --token-file contradict each other");
                access = null;
            }
            else access = result.GetValue(tokenFile) is { } file ? AccessToken.From(TokenFile.Read(file)) : AccessToken.Generate();
            if (!IPAddress.IsLoopback(address))
                console.Warn($"listening on {address}: anyone who can reach it and has the token can read every process's memory figures");
            var interval = Durations.Parse(result.GetValue(minInterval)!, "--min-interval", TimeSpan.Zero, TimeSpan.FromHours(1), "0 and 1h");
            var census = Durations.Parse(result.GetValue(censusInterval)!, "--census-interval", TimeSpan.Zero, TimeSpan.FromHours(24), "0 and 24h");
            var metrics = new MetricsOptions(result.GetValue(perClass), result.GetValue(top), result.GetValue(name), result.GetValue(cgroup), interval, census);
            return Run(console, new ListenOptions(portNumber, address, access, []), metrics, token);
        });
        return command;
    }

    private static int Run(CliConsole console, ListenOptions listen, MetricsOptions metrics, CancellationToken cancellation) =>
        ServerLifetime.Run(stop => ExporterServer.Start(listen, metrics, stop), server =>
        {
            console.Out.WriteLine(listen.Token is { } access
                ? $"PageAtlas exporter: {server.MetricsUrl} token {access.Value}"
                : $"PageAtlas exporter: {server.MetricsUrl} (no token)");
            console.Out.Flush();
            console.Error.WriteLine("pageatlas: send the token as 'Authorization: Bearer TOKEN' (Prometheus: authorization.credentials_file); Ctrl+C stops the exporter");
        }, cancellation);
}
