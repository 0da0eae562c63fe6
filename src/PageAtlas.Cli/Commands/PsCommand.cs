using System.CommandLine;
using System.Globalization;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas ps: every user process with RSS, PSS, USS, swap, THP and VMA count.</summary>
internal static class PsCommand
{
    /// <summary>A name longer than this (escaped bytes grow fourfold) is cut, so a line stays within 80 columns.</summary>
    private const int NameWidth = 18;

    public static Command Create()
    {
        var sort = new Option<string>("--sort") { Description = $"Sort by {string.Join("|", ProcessOrdering.Names)} (sizes largest first)", DefaultValueFactory = _ => "pss" };
        var name = new Option<string?>("--name") { Description = "Only command names containing this text, or matching it whole as a glob when it has * or ?" };
        var user = new Option<string?>("--user") { Description = "Only processes of this user (name or uid; the effective uid, as ps shows)" };
        var json = CommonOptions.Json();
        var command = new Command("ps", "List every process with its memory: RSS, PSS, USS, swap, THP and VMAs, counted as smaps_rollup counts them") { sort, name, user, json };
        command.SetAction(result =>
        {
            var order = ProcessOrdering.Parse(result.GetValue(sort)!);
            var users = UserNames.Read();
            uint? uid = result.GetValue(user) is { } who
                ? users.UidOf(who) ?? throw new InvalidRequestException($"no user named '{TerminalText.Escape(who)}' (a name in /etc/passwd, or a uid)")
                : null;
            var scan = new ProcessScan(new ProcessFilter(result.GetValue(name), uid), users);
            var processes = ProcessOrdering.Sort(scan.Processes().ToList(), order).ToList();
            if (scan.SkippedNote() is { } note) HumanOutput.Note(note);
            if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(writer => ProcessListJson.Write(writer, processes, scan));
            Render(processes);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Render(IReadOnlyList<ProcessSummary> processes)
    {
        using var output = HumanOutput.OpenText();
        Column[] columns = [new("PID", RightAligned: true), new("USER"), new("RSS", true), new("PSS", true), new("USS", true),
            new("SWAP", true), new("THP", true), new("VMAS", true), new("NAME")];
        ColumnWriter.Write(output, columns, processes, (p, cells) =>
        {
            cells[0] = p.Pid.ToString(CultureInfo.InvariantCulture);
            cells[1] = Shorten(TerminalText.Escape(p.User), 8);
            cells[2] = Size(p.Rss);
            cells[3] = Size(p.Pss);
            cells[4] = Size(p.Uss);
            cells[5] = Size(p.Swap);
            cells[6] = Size(p.Thp);
            cells[7] = p.Vmas.ToString(CultureInfo.InvariantCulture);
            cells[8] = Shorten(TerminalText.Escape(p.Command), NameWidth);
        });
    }

    /// <summary>Cut to <paramref name="width"/> characters, the last one '+' when something was cut (as ps marks a long user name).</summary>
    private static string Shorten(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "+";

    /// <summary>
    /// A size in at most five characters, "12.3M"-style (powers of 1024): one decimal below 100 of
    /// the unit, none above; "0" for nothing.
    /// </summary>
    internal static string Size(ulong bytes)
    {
        if (bytes == 0) return "0";
        if (bytes < 1024) return $"{bytes}B";
        const string Units = "KMGTPE";
        double value = bytes / 1024.0;
        int unit = 0;
        while (value >= 1000 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString(value < 99.95 ? "0.0" : "0", CultureInfo.InvariantCulture) + Units[unit];
    }
}
