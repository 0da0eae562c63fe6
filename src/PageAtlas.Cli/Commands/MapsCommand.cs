using System.CommandLine;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas maps &lt;pid&gt;: every VMA with its segment class and residency.</summary>
internal static class MapsCommand
{
    public static Command Create()
    {
        var pid = CommonOptions.Pid();
        var json = CommonOptions.Json();
        var snapshot = TargetSource.SnapshotOption();
        var command = new Command("maps", "List every VMA with its segment class and how many pages are present, swapped or not populated") { pid, json, snapshot };
        command.SetAction(result =>
        {
            using var target = TargetSource.Open(result.GetValue(pid), result.GetValue(snapshot));
            ResidencyReport report;
            using (var progress = ProgressDisplay.Start($"maps of {target.Pid}", "pages of address space", result.GetValue(json)))
                report = Residency.Measure(ProgressTarget.Track(target, progress));
            if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(writer => ResidencyJson.Write(writer, report, target.Visibility));
            Render(report);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Render(ResidencyReport report)
    {
        using var output = HumanOutput.OpenText();
        int pageSize = report.Machine.PageSize;
        output.WriteLine($"pid {report.Pid} ({TerminalText.Escape(report.Command)}) — {report.Vmas.Count} VMAs, page size {pageSize}, {report.Machine.Paging} paging");
        output.WriteLine();
        // Shared swap, guard regions, kernel markers and zero-page mappings are rare: their columns appear only when some page is one.
        var t = report.Total;
        var counts = new List<(string Name, Func<ResidencyCounts, string> Cell)>
        {
            ("Present", c => Pages(c.Present, c.HugeLeafPages)),
            ("Swapped", c => c.Swapped.ToString()),
        };
        if (t.SharedSwapped > 0) counts.Add(("Shared swap", c => c.SharedSwapped.ToString()));
        if (t.ZeroPage > 0) counts.Add(("Zero page", c => c.ZeroPage.ToString()));
        if (t.Guard > 0) counts.Add(("Guard", c => c.Guard.ToString()));
        if (t.Markers > 0) counts.Add(("Markers", c => c.Markers.ToString()));
        counts.Add(("Not populated", c => c.NotPopulated.ToString()));

        Column[] columns = [
            new("Start"), new("End"), new("Perms"), new("Offset"), new("Dev"), new("Inode"), new("Class"), new("Size", RightAligned: true),
            .. counts.Select(c => new Column(c.Name, RightAligned: true)), new("Path")];
        const int FirstCount = 8;
        ColumnWriter.Write(output, columns, report.Vmas, (row, cells) =>
        {
            var vma = row.Vma.Vma;
            cells[0] = vma.Start.ToString("x");
            cells[1] = vma.End.ToString("x");
            cells[2] = vma.Permissions.ToMapsString();
            cells[3] = vma.Offset.ToString("x");
            cells[4] = vma.Device;
            cells[5] = vma.Inode.ToString();
            cells[6] = TerminalText.Escape(row.Vma.Class.ToString());
            cells[7] = HumanOutput.Bytes(vma.Size);
            for (int i = 0; i < counts.Count; i++) cells[FirstCount + i] = counts[i].Cell(row.Counts);
            cells[^1] = TerminalText.Escape(vma.IsDeleted ? vma.Path + " (deleted)" : vma.Path);
        }, ["total", "", "", "", "", "", $"{report.Vmas.Count} VMAs", HumanOutput.Bytes(t.Pages * (ulong)pageSize),
            .. counts.Select(c => c.Cell(t)), $"resident {HumanOutput.Bytes(t.Present * (ulong)pageSize)}"]);
        output.WriteLine();
        output.WriteLine("Columns count pages; 'thp' marks pages mapped by 2 MiB leaves. Resident excludes zero-page mappings, as smaps' Rss does.");
        foreach (var note in report.Notes) output.WriteLine($"note: {note}");
        foreach (var row in report.Vmas)
        {
            if (row.Vma.Note is { } vmaNote)
                output.WriteLine($"note: {row.Vma.Vma.Start:x}-{row.Vma.Vma.End:x} {TerminalText.Escape(row.Vma.Vma.Path)}: {TerminalText.Escape(vmaNote)}");
        }
    }

    private static string Pages(ulong present, ulong huge) => huge == 0 ? present.ToString() : $"{present} ({huge} thp)";
}
