using System.CommandLine;
using PageAtlas.Cli.Help;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas completion bash|zsh|fish: a completion script generated from the command tree it belongs to.</summary>
internal static class CompletionCommand
{
    private static readonly string[] s_shells = ["bash", "zsh", "fish"];

    public static Command Create(CliConsole console)
    {
        var shell = new Argument<string>("shell") { Description = "The shell to complete for" };
        shell.AcceptOnlyFromAmong(s_shells);
        var command = new Command("completion", "Print a script that lets bash, zsh or fish complete pageatlas's commands, options, their values and process ids") { shell };
        CommandExamples.Add(command,
            ("pageatlas completion bash", "the bash script: load it with source <(pageatlas completion bash)"),
            ("pageatlas completion zsh", "the zsh script: save it as _pageatlas in a directory of $fpath"),
            ("pageatlas completion fish", "the fish script: save it as ~/.config/fish/completions/pageatlas.fish"));
        command.SetHandler((result, token) =>
        {
            var root = result.RootCommandResult.Command;
            var commands = CompletedCommand.All(root);
            console.Out.Write(result.GetValue(shell) switch
            {
                "bash" => BashCompletion.Script(commands),
                "zsh" => ZshCompletion.Script(commands),
                _ => FishCompletion.Script(commands),
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
