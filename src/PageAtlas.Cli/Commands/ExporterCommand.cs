using System.CommandLine;
using System.Net;
using PageAtlas.Cli.Help;
using PageAtlas.Server;
using PageAtlas.Server.Measurement;
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
        var listen = new ListenArguments("every process's memory figures", "give Prometheus the same file as authorization.credentials_file");
        var noAuth = new Option<bool>("--no-auth") { Description = "Ask no token (loopback addresses only)" };
        var perClass = new Option<bool>("--per-class") { Description = "Also export each process's RSS, PSS and swap per segment kind (heap, lib-code, thread-stack…): up to 22 × 3 more series per process" };
        var largest = new Option<int?>("--largest") { HelpName = "n", Description = "Export only the N processes of largest PSS" };
        var name = new Option<string?>("--name") { HelpName = "text", Description = "Only processes whose command name matches (a glob with * and ?, else a substring)" };
        var cgroup = new Option<string?>("--cgroup") { HelpName = "prefix", Description = "Only processes whose cgroup (v2 path, as in /proc/PID/cgroup) starts with this" };
        var minInterval = new Option<string>("--min-interval")
        {
            HelpName = "time",
            Description = "Serve a collection again to scrapes within this time of it (0: read anew every scrape)",
            DefaultValueFactory = _ => $"{MetricsOptions.DefaultMinInterval.TotalSeconds}s",
        };
        var censusInterval = new Option<string>("--census-interval")
        {
            HelpName = "time",
            Description = "Take the frame census (every frame's kpageflags and kpagecount) this often, apart from scrapes, which serve the last one (0: anew every scrape)",
            DefaultValueFactory = _ => $"{MetricsOptions.DefaultCensusInterval.TotalSeconds}s",
        };
        var command = new Command("exporter", "Serve Prometheus metrics: every process's RSS, PSS, USS, swap, THP, page tables, and the frame census")
        {
            listen.Port, listen.Bind, listen.TokenFile, noAuth, perClass, largest, name, cgroup, minInterval, censusInterval,
        };
        command.Conflicts(noAuth, listen.TokenFile, "--no-auth asks no token, --token-file gives one", result => result.GetValue(noAuth));
        CommandExamples.Add(command,
            ("pageatlas exporter", "metrics on a free loopback port: scrape the address it prints, with its token as a Bearer header"),
            ("pageatlas exporter --per-class --largest 20", "also each of the 20 largest processes' memory per kind of region"));
        command.SetHandler((result, token) =>
        {
            int portNumber = listen.PortOf(result);
            if (result.GetValue(largest) is <= 0) throw new InvalidRequestException("--largest must be positive");
            var address = listen.AddressOf(result);
            AccessToken? access;
            if (result.GetValue(noAuth))
            {
                if (!IPAddress.IsLoopback(address)) throw new InvalidRequestException("--no-auth is for loopback addresses only: on another address anyone who reaches it would read every process's memory figures");
                access = null;
            }
            else access = listen.TokenOf(result);
            listen.WarnIfExposed(console, address);
            var interval = Durations.Parse(result.GetValue(minInterval)!, "--min-interval", TimeSpan.Zero, TimeSpan.FromHours(1), "0 and 1h");
            var census = Durations.Parse(result.GetValue(censusInterval)!, "--census-interval", TimeSpan.Zero, TimeSpan.FromHours(24), "0 and 24h");
            var metrics = new MetricsOptions(result.GetValue(perClass), result.GetValue(largest), result.GetValue(name), result.GetValue(cgroup), interval, census);
            return Run(console, new ListenOptions(portNumber, address, access, []), metrics, token);
        });
        return command;
    }

    private static int Run(CliConsole console, ListenOptions listening, MetricsOptions metrics, CancellationToken cancellation) =>
        ServerLifetime.Run(stop => ExporterServer.Start(listening, metrics, stop), server =>
        {
            console.Out.WriteLine(listening.Token is { } access
                ? $"PageAtlas exporter: {server.MetricsUrl} token {access.Value}"
                : $"PageAtlas exporter: {server.MetricsUrl} (no token)");
            console.Out.Flush();
            console.Message("pageatlas: send the token as 'Authorization: Bearer TOKEN' (Prometheus: authorization.credentials_file); Ctrl+C stops the exporter");
        }, cancellation);
}
