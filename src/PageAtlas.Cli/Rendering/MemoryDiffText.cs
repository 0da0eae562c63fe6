using PageAtlas.Analysis;
using PageAtlas.Rendering;
using PageAtlas.Snapshots;
using Spectre.Console;

namespace PageAtlas.Cli.Rendering;

/// <summary>diff's text: VMAs that changed, page changes per class, and the runs of pages that changed.</summary>
internal static class MemoryDiffText
{
    public static void Write(CliConsole console, MemoryDiffReport report, Snapshot before, Snapshot after)
    {
        var tables = console.Tables();
        tables.WriteLine($"before: pid {report.Before.Pid} ({TerminalText.Escape(report.Before.Command)}) at {before.Created:yyyy-MM-dd HH:mm:ss}; after: pid {report.After.Pid} ({TerminalText.Escape(report.After.Command)}) at {after.Created:yyyy-MM-dd HH:mm:ss}");
        if (report.Vmas.Count == 0) tables.WriteLine("VMAs: unchanged");
        foreach (var v in report.Vmas)
        {
            string was = v.Before is { } b ? b.Vma.ToMapsLine() : "", now = v.After is { } a ? a.Vma.ToMapsLine() : "";
            tables.WriteLine(TerminalText.Escape($"VMA {VmaChangeWords.Diff(v.Change),-8} {(v.Before ?? v.After)!.Class}: {(was.Length > 0 && now.Length > 0 && was != now ? $"{was}  ->  {now}" : was.Length > 0 ? was : now)}"));
        }
        var changes = Enum.GetValues<PageChange>();
        var table = new Table().Border(TableBorder.Simple).AddColumn("Class").AddColumn(new TableColumn("Before").RightAligned()).AddColumn(new TableColumn("After").RightAligned());
        foreach (var change in changes) table.AddColumn(new TableColumn(MemoryDiffJson.Name(change)).RightAligned());
        foreach (var c in report.Classes)
            table.AddRow([HumanOutput.Cell(c.Class), c.PresentBefore.ToString(), c.PresentAfter.ToString(), .. changes.Select(x => c.Changes[x].ToString())]);
        table.AddRow(["total", "", "", .. changes.Select(x => report.Totals[x].ToString())]);
        tables.Write(table);
        foreach (var run in report.Pages)
        {
            string moved = run.MovedFrom is { } from ? $" (from 0x{from:x})" : "";
            tables.WriteLine(TerminalText.Escape($"  {MemoryDiffJson.Name(run.Change),-15} 0x{run.Start:x} +{run.Pages} page(s){moved}  {run.Vma.Class}"));
        }
        foreach (var note in report.Notes) tables.WriteLine($"note: {TerminalText.Escape(note)}");
    }
}
