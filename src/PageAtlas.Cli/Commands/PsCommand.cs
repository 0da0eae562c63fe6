using System.CommandLine;
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
        var sort = new Option<string>("--sort") { Description = $"Sort by {string.Join("|", ProcessOrdering.Names)} (sizes largest first)", DefaultValueFactory = _ => "pss" };
        var name = new Option<string?>("--name") { Description = "Only command names containing this text, or matching it whole as a glob when it has * or ?" };
        var user = new Option<string?>("--user") { Description = "Only processes of this user (name or uid; the effective uid, as ps shows)" };
        var json = CommonOptions.Json();
        var layout = LayoutOptions.WithSizes();
        var command = new Command("ps", "List every process with its memory: RSS, PSS, USS, swap, THP and VMAs, counted as smaps_rollup counts them") { sort, name, user, json };
        layout.AddTo(command);
        command.SetHandler((result, token) =>
        {
            var order = ProcessOrdering.Parse(result.GetValue(sort)!);
            var users = UserNames.Read();
            uint? uid = result.GetValue(user) is { } who
                ? users.UidOf(who) ?? throw new InvalidRequestException($"no user named '{TerminalText.Escape(who)}' (a name in /etc/passwd, or a uid)")
                : null;
            var scan = new ProcessScan(new ProcessFilter(result.GetValue(name), uid), users);
            var processes = ProcessOrdering.Sort(scan.Processes().ToList(), order).ToList();
            if (scan.SkippedNote() is { } note) console.Note(note);
            if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(console, writer => ProcessListJson.Write(writer, processes, scan));
            ProcessListText.Write(console, processes, layout.Read(result, console));
            return ExitCodes.Ok;
        });
        return command;
    }
}
