using System.CommandLine;
using PageAtlas.Cli.Help;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Rendering;
using PageAtlas.Cli.Rendering;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas ps: every user process with RSS, PSS, USS, swap, THP and VMA count.</summary>
internal static class PsCommand
{
    public static Command Create(CliConsole console)
    {
        var sort = new Option<string>("--sort") { Description = "What to sort by (sizes largest first)", DefaultValueFactory = _ => "pss" };
        sort.CompletionSources.Add([.. ProcessOrdering.Names]);
        var name = new Option<string?>("--name") { Description = "Only processes whose command name contains this text, or matches it as a glob when it has * or ?", HelpName = "text" };
        var user = new Option<string?>("--user") { Description = "Only processes of this user (a name or a uid; the effective uid, as ps shows)", HelpName = "user" };
        var json = CommonOptions.Json();
        var layout = LayoutOptions.WithSizes();
        var command = new Command("ps", "Which processes use the most memory? Every process with its RSS, PSS, USS, swap, huge pages and number of regions, as /proc/<pid>/smaps_rollup counts them") { sort, name, user, json };
        CommandExamples.Add(command,
            ("pageatlas ps", "every process, the largest PSS first"),
            ("pageatlas ps --sort rss --user root", "root's processes, the largest RSS first"),
            ("pageatlas ps --json", "as JSON"));
        layout.AddTo(command);
        command.SetHandler((result, token) =>
        {
            var order = ProcessOrdering.Parse(result.GetValue(sort)!);
            var users = UserNames.Read();
            uint? uid = result.GetValue(user) is { } who
                ? users.UidOf(who) ?? throw new InvalidRequestException($"no user named '{TerminalText.Escape(who)}' (a name in /etc/passwd, or a uid)")
                : null;
            var scan = new ProcessScan(new ProcessFilter(result.GetValue(name), uid), users);
            var processes = ProcessOrdering.Sort(scan.Processes(token).ToList(), order).ToList();
            if (scan.SkippedNote() is { } note) console.Note(note);
            if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(console, writer => ProcessListJson.Write(writer, processes, scan));
            ProcessListText.Write(console, processes, layout.Read(result, console));
            return ExitCodes.Ok;
        });
        return command;
    }
}
