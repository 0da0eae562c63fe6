using System.CommandLine;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using PageAtlas.Snapshots;
using Spectre.Console;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas frames: the census of every page frame of the machine (seed 001, page-types' summary).</summary>
internal static class FramesCommand
{
    public static Command Create(CliConsole console)
    {
        var byFlags = new Option<bool>("--by-flags") { Description = "List each distinct set of frame flags with its count, as page-types does" };
        var filter = new Option<string[]>("--filter", "-b")
        {
            Description = "Only frames matching a page-types expression: 'anon,lru' (any), 'anon,~lru' (exactly these set/clear), '=anon,mmap' (exact set); repeatable, all must match",
        };
        var physical = new Option<string?>("--phys") { Description = "Only frames in this physical address range (ADDR..END or ADDR+LEN, hexadecimal)" };
        var json = CommonOptions.Json();
        var snapshot = TargetSource.SnapshotOption();
        var command = new Command("frames", "Count every page frame of the machine by kind, beside /proc/meminfo and /proc/buddyinfo") { byFlags, filter, physical, json, snapshot };
        command.SetHandler((result, token) =>
        {
            var frameFilter = FrameFilter.Parse(result.GetValue(filter) ?? []);
            var range = result.GetValue(physical) is { } text ? AddressRange.Parse(text) : (AddressRange?)null;
            using var machine = FrameMachine.Open(result.GetValue(snapshot));
            var frames = machine.Frames;
            ulong pageSize = (ulong)frames.Machine.PageSize;
            FrameCensusReport report;
            using (var progress = ProgressDisplay.Start(console, "frames", "frames", result.GetValue(json)))
            {
                frames.Progress = progress?.Work;
                report = FrameCensus.Take(frames, frameFilter, range?.Start / pageSize, range is { } r ? (r.End + pageSize - 1) / pageSize : null);
            }
            string kernel = frames.Machine.KernelRelease;
            if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(console, w => FrameCensusJson.Write(w, report, kernel));
            Render(console, report, result.GetValue(byFlags));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Render(CliConsole console, FrameCensusReport report, bool byFlags)
    {
        ulong pageSize = (ulong)report.PageSize;
        string heading = $"frames 0x{report.StartPfn:x}–0x{report.EndPfn:x} ({report.ScannedFrames} frames of {pageSize} bytes, {HumanOutput.Bytes(report.ScannedFrames * pageSize)})"
            + (report.Filter.IsAll ? "" : $", filter '{TerminalText.Escape(report.Filter.Text)}': {report.MatchedFrames} frames");
        if (byFlags)
        {
            // One line per flag combination, streamed as page-types prints them.
            using var output = console.OpenText();
            output.WriteLine(heading);
            output.WriteLine();
            Column[] columns = [new("flags"), new("page-count", RightAligned: true), new("MB", RightAligned: true), new("symbolic-flags"), new("long-symbolic-flags")];
            ColumnWriter.Write(output, columns, report.Combinations, (c, cells) =>
            {
                cells[0] = $"0x{(ulong)c.Flags:x16}";
                cells[1] = c.Frames.ToString();
                cells[2] = $"{c.Frames * pageSize / (1024 * 1024)}";
                cells[3] = FrameFlagNames.ToLetters(c.Flags);
                cells[4] = FrameFlagNames.ToLongNames(c.Flags);
            }, ["total", report.MatchedFrames.ToString(), $"{report.MatchedFrames * pageSize / (1024 * 1024)}", "", ""]);
            return;
        }
        var tables = console.Tables();
        tables.WriteLine(heading);
        var table = new Table().Border(TableBorder.Simple).AddColumn("kind")
            .AddColumn(new TableColumn("frames").RightAligned()).AddColumn(new TableColumn("size").RightAligned())
            .AddColumn("/proc/meminfo").AddColumn(new TableColumn("meminfo size").RightAligned()).AddColumn("selected by");
        foreach (var row in report.Rows)
        {
            table.AddRow(Markup.Escape(row.Name), row.Frames.ToString(), HumanOutput.Bytes(row.Frames * pageSize),
                Markup.Escape(row.MeminfoFields ?? ""), row.MeminfoBytes is { } b ? HumanOutput.Bytes(b) : "", Markup.Escape(row.Definition));
        }
        tables.Write(table);
        if (report.WholeMachine)
        {
            tables.WriteLine("free pages per zone (/proc/buddyinfo): " + string.Join(", ", report.FreeZones.Select(z => $"{z.Zone} {z.FreePages}")));
            tables.WriteLine("meminfo figures count the same pages by the kernel's counters at another instant: small differences are live changes.");
        }
        foreach (var note in report.Notes) tables.WriteLine($"note: {TerminalText.Escape(note)}");
    }
}
