using System.CommandLine;
using PageAtlas.Cli.Help;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas man (hidden): prints pageatlas(1) in roff, for scripts/install.sh to install.</summary>
internal static class ManCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("man", "Print the pageatlas(1) manual page in roff") { Hidden = true };
        command.SetHandler((result, token) =>
        {
            console.Out.Write(ManPage.Write(result.RootCommandResult.Command));
            return ExitCodes.Ok;
        });
        return command;
    }
}
