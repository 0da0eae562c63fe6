using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using PageAtlas.Snapshots;

namespace PageAtlas.Cli.Rendering;

/// <summary>diff's text: VMAs that changed, page changes per class, and the runs of pages that changed.</summary>
internal static class MemoryDiffText
{
    public static void Write(CliConsole console, MemoryDiffReport report, Snapshot before, Snapshot after, TextLayout layout)
    {
        using var output = console.OpenText(layout);
        output.WriteParagraph($"before: pid {report.Before.Pid} ({TerminalText.Escape(report.Before.Command)}) at {before.Created:yyyy-MM-dd HH:mm:ss}; after: pid {report.After.Pid} ({TerminalText.Escape(report.After.Command)}) at {after.Created:yyyy-MM-dd HH:mm:ss}", indent: 2);
        if (report.Vmas.Count == 0) output.WriteLine("VMAs: unchanged");
        else
        {
            output.WriteLine();
            // A VMA that changed shape shows its range now, and its range before in a column of its own.
            Column[] vmaColumns = [new("VMA"), new("Class", ColumnKind.Text, 4), new("Start", ColumnKind.Address), new("End", ColumnKind.Address),
                new("Was", ColumnKind.Address, 2), new("Perms", ColumnKind.Text, 3), new("Path", ColumnKind.Path, 5)];
            TextTable.WriteCells(output, vmaColumns, report.Vmas, (v, cells) =>
            {
                var now = (v.After ?? v.Before)!;
                cells.At(0).Text(VmaChangeWords.Diff(v.Change));
                cells.At(1).Text(TerminalText.Escape(now.Class.ToString())).Colour(TerminalColours.Of(now.Class));
                cells.At(2).Hex(now.Vma.Start);
                cells.At(3).Hex(now.Vma.End);
                if (v.Before is { } b && v.After is not null && (b.Vma.Start, b.Vma.End) != (now.Vma.Start, now.Vma.End))
                    cells.At(4).Hex(b.Vma.Start).Text("-").Hex(b.Vma.End);
                cells.At(5).Text(now.Vma.Permissions.ToMapsString());
                cells.At(6).Text(TerminalText.Escape(now.Vma.Path));
            });
        }
        output.WriteLine();
        var changes = Enum.GetValues<PageChange>();
        Column[] columns = [new("Class") { Keeps = 24 }, new("Before", ColumnKind.Number, 5), new("After", ColumnKind.Number, 5),
            .. changes.Select((change, i) => new Column(MemoryDiffJson.Name(change), ColumnKind.Number, 4 - Math.Min(i, 3)))];
        var total = new ClassDifference("total", 0, 0, report.Totals);
        TextTable.WriteCells(output, columns, report.Classes.Append(total).ToList(), (c, cells) =>
        {
            cells.At(0).Text(TerminalText.Escape(c.Class));
            if (!ReferenceEquals(c, total))
            {
                cells.At(1).Number(c.PresentBefore);
                cells.At(2).Number(c.PresentAfter);
            }
            for (int i = 0; i < changes.Length; i++) cells.At(3 + i).Number(c.Changes[changes[i]]);
        });
        if (report.Pages.Count > 0)
        {
            output.WriteLine();
            Column[] runColumns = [new("Pages changed"), new("Start", ColumnKind.Address), new("Pages", ColumnKind.Number), new("Moved from", ColumnKind.Address, 1), new("Class", ColumnKind.Text, 2)];
            TextTable.WriteCells(output, runColumns, report.Pages, (run, cells) =>
            {
                cells.At(0).Text(MemoryDiffJson.Name(run.Change));
                cells.At(1).Text("0x").Hex(run.Start);
                cells.At(2).Number(run.Pages);
                if (run.MovedFrom is { } from) cells.At(3).Text("0x").Hex(from);
                cells.At(4).Text(TerminalText.Escape(run.Vma.Class.ToString())).Colour(TerminalColours.Of(run.Vma.Class));
            });
        }
        foreach (var note in report.Notes) output.WriteParagraph($"note: {TerminalText.Escape(note)}", indent: 6);
    }
}
