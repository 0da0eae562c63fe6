using PageAtlas.Analysis;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>frames's text: the census by kind beside /proc/meminfo (a short table), or every flag combination streamed as page-types prints them.</summary>
internal static class FrameCensusText
{
    public static void Write(CliConsole console, FrameCensusReport report, bool byFlags, TextLayout layout)
    {
        using var output = console.OpenText(layout);
        ulong pageSize = (ulong)report.PageSize;
        var sizes = layout.Sizes(report.PageSize);
        output.WriteParagraph($"frames 0x{report.StartPfn:x}–0x{report.EndPfn:x} ({report.ScannedFrames} frames of {pageSize} bytes, {HumanOutput.Bytes(report.ScannedFrames * pageSize)})"
            + (report.Filter.IsAll ? "" : $", filter '{TerminalText.Escape(report.Filter.Text)}': {report.MatchedFrames} frames"));
        output.WriteLine();
        if (byFlags)
        {
            // One line per flag combination, as page-types prints them (its MB column in the unit chosen).
            Column[] flagColumns = [new("flags", ColumnKind.Address), new("page-count", ColumnKind.Number), new("size", ColumnKind.Size, 2),
                new("symbolic-flags", ColumnKind.Text, 3), new("long-symbolic-flags", ColumnKind.Text, 1)];
            TextTable.WriteCells(output, flagColumns, report.Combinations, (c, cells) =>
            {
                cells.At(0).Text("0x").Hex((ulong)c.Flags, 16);
                cells.At(1).Number(c.Frames);
                cells.At(2).Size(c.Frames * pageSize, sizes);
                cells.At(3).Text(FrameFlagNames.ToLetters(c.Flags));
                cells.At(4).Text(FrameFlagNames.ToLongNames(c.Flags));
            }, ["total", report.MatchedFrames.ToString(), sizes.Text(report.MatchedFrames * pageSize), "", ""]);
            return;
        }
        Column[] columns = [new("kind"), new("frames", ColumnKind.Number), new("size", ColumnKind.Size, 5),
            new("/proc/meminfo", ColumnKind.Text, 3), new("meminfo size", ColumnKind.Size, 4), new("selected by", ColumnKind.Text, 2)];
        TextTable.WriteCells(output, columns, report.Rows, (row, cells) =>
        {
            cells.At(0).Text(TerminalText.Escape(row.Name));
            cells.At(1).Number(row.Frames);
            cells.At(2).Size(row.Frames * pageSize, sizes);
            cells.At(3).Text(TerminalText.Escape(row.MeminfoFields ?? ""));
            if (row.MeminfoBytes is { } b) cells.At(4).Size(b, sizes);
            cells.At(5).Text(TerminalText.Escape(row.Definition));
        });
        if (report.WholeMachine)
        {
            output.WriteParagraph("free pages per zone (/proc/buddyinfo): " + string.Join(", ", report.FreeZones.Select(z => $"{z.Zone} {z.FreePages}")));
            output.WriteParagraph("meminfo figures count the same pages by the kernel's counters at another instant: small differences are live changes.");
        }
        foreach (var note in report.Notes) output.WriteParagraph($"note: {TerminalText.Escape(note)}", indent: 6);
    }
}
