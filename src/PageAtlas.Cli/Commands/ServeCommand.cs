using System.CommandLine;
using PageAtlas.Cli.Help;
using PageAtlas.Server;

namespace PageAtlas.Cli.Commands;

/// <summary>
/// pageatlas serve: PageAtlas Explorer, the library's reports in a browser. Loopback only unless
/// --bind says otherwise; one URL with a random token is printed; Ctrl+C stops it (exit 0: that is how
/// a server is meant to end).
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliConsole console)
    {
        var listen = new ListenArguments("every process's memory layout");
        var snapshots = new Option<string[]>("--snapshot") { HelpName = "file", Description = "Snapshot files to browse beside the live machine", AllowMultipleArgumentsPerToken = true };
        var allowHost = new Option<string[]>("--allow-host") { HelpName = "host", Description = "Also answer requests naming this host (a reverse proxy's or the machine's name; loopback names always work)" };
        var maxUpload = new Option<long>("--max-upload")
        {
            HelpName = "size",
            Description = "The largest snapshot file the browser may upload (bytes, or with K, M, G; default 256M)",
            CustomParser = ByteSize.Parse,
            DefaultValueFactory = _ => ExplorerOptions.DefaultMaxUpload,
        };
        var noUpload = new Option<bool>("--no-upload") { Description = "Refuse snapshot files uploaded from the browser (only --snapshot files and the live machine)" };
        var command = new Command("serve", "Start PageAtlas Explorer: processes, address spaces, pages, walks and frames in a browser")
        {
            listen.Port, listen.Bind, snapshots, listen.TokenFile, allowHost, maxUpload, noUpload,
        };
        command.Conflicts(maxUpload, noUpload, "--no-upload turns uploads off, so no upload size applies", result => result.GetValue(noUpload));
        CommandExamples.Add(command,
            ("pageatlas serve", "the explorer on a free loopback port: open the address it prints in a browser"),
            ("pageatlas serve --snapshot before.db --snapshot after.db", "two snapshots to browse beside the live machine"));
        command.SetHandler((result, token) =>
        {
            int portNumber = listen.PortOf(result);
            var address = listen.AddressOf(result);
            listen.WarnIfExposed(console, address);
            var access = listen.TokenOf(result);
            long? uploads = result.GetValue(noUpload) ? null : result.GetValue(maxUpload);
            var options = new ExplorerOptions(portNumber, address, access, result.GetValue(snapshots) ?? [], result.GetValue(allowHost) ?? [], uploads);
            return Run(console, options, token);
        });
        return command;
    }

    private static int Run(CliConsole console, ExplorerOptions options, CancellationToken cancellation) =>
        ServerLifetime.Run(stop => ExplorerServer.Start(options, stop), server =>
        {
            console.Out.WriteLine($"PageAtlas Explorer: {server.Url}");
            console.Out.Flush();
            console.Message("pageatlas: open the address above in a browser; Ctrl+C stops the server");
        }, cancellation);
}
