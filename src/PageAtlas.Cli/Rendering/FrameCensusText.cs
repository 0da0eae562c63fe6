using PageAtlas.Analysis;
using PageAtlas.Model;
using PageAtlas.Rendering;
using Spectre.Console;

namespace PageAtlas.Cli.Rendering;

/// <summary>frames's text: the census by kind beside /proc/meminfo (a short table), or every flag combination streamed as page-types prints them.</summary>
internal static class FrameCensusText
{
    public static void Write(CliConsole console, FrameCensusReport report, bool byFlags)
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
