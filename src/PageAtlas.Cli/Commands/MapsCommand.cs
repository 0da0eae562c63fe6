using System.CommandLine;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using Spectre.Console;

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
            var report = Residency.Measure(target);
            if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(writer => ResidencyJson.Write(writer, report, target.Visibility));
            Render(report);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Render(ResidencyReport report)
    {
        var console = HumanOutput.Create();
        int pageSize = report.Machine.PageSize;
        console.WriteLine($"pid {report.Pid} ({TerminalText.Escape(report.Command)}) — {report.Vmas.Count} VMAs, page size {pageSize}, {report.Machine.Paging} paging");
        // Shared swap, guard regions, kernel markers and zero-page mappings are rare: their columns appear only when some page is one.
        var t = report.Total;
        var columns = new List<(string Name, Func<ResidencyCounts, string> Cell)>
        {
            ("Present", c => Pages(c.Present, c.HugeLeafPages)),
            ("Swapped", c => c.Swapped.ToString()),
        };
        if (t.SharedSwapped > 0) columns.Add(("Shared swap", c => c.SharedSwapped.ToString()));
        if (t.ZeroPage > 0) columns.Add(("Zero page", c => c.ZeroPage.ToString()));
        if (t.Guard > 0) columns.Add(("Guard", c => c.Guard.ToString()));
        if (t.Markers > 0) columns.Add(("Markers", c => c.Markers.ToString()));
        columns.Add(("Not populated", c => c.NotPopulated.ToString()));

        var table = new Table().Border(TableBorder.Simple).AddColumns("Start", "End", "Perms", "Offset", "Dev", "Inode", "Class", "Size");
        foreach (var (name, _) in columns) table.AddColumn(new TableColumn(name).RightAligned());
        table.AddColumn("Path");
        foreach (var row in report.Vmas)
        {
            var vma = row.Vma.Vma;
            string path = vma.IsDeleted ? vma.Path + " (deleted)" : vma.Path;
            table.AddRow([
                $"{vma.Start:x}", $"{vma.End:x}", vma.Permissions.ToMapsString(), $"{vma.Offset:x}", vma.Device, vma.Inode.ToString(),
                HumanOutput.Cell(row.Vma.Class.ToString()), HumanOutput.Bytes(vma.Size),
                .. columns.Select(c => c.Cell(row.Counts)), HumanOutput.Cell(path)]);
        }
        table.AddEmptyRow();
        table.AddRow([
            "total", "", "", "", "", "", $"{report.Vmas.Count} VMAs", HumanOutput.Bytes(t.Pages * (ulong)pageSize),
            .. columns.Select(c => c.Cell(t)), $"resident {HumanOutput.Bytes(t.Present * (ulong)pageSize)}"]);
        console.Write(table);
        console.WriteLine("Columns count pages; 'thp' marks pages mapped by 2 MiB leaves. Resident excludes zero-page mappings, as smaps' Rss does.");
        foreach (var note in report.Notes) console.WriteLine($"note: {note}");
        foreach (var row in report.Vmas.Where(r => r.Vma.Note is not null))
            console.WriteLine($"note: {row.Vma.Vma.Start:x}-{row.Vma.Vma.End:x} {TerminalText.Escape(row.Vma.Vma.Path)}: {TerminalText.Escape(row.Vma.Note)}");
    }

    private static string Pages(ulong present, ulong huge) => huge == 0 ? present.ToString() : $"{present} ({huge} thp)";
}
