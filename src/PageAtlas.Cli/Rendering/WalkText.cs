using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using Spectre.Console;

namespace PageAtlas.Cli.Rendering;

/// <summary>walk's text: one address's path through the paging levels, with the kernel companion's columns when it read them.</summary>
internal static class WalkText
{
    public static void Write(CliConsole console, PageWalkReport report, IMemoryTarget target)
    {
        var tables = console.Tables();
        var split = report.Split;
        tables.WriteLine($"pid {report.Pid} ({TerminalText.Escape(target.Facts.Name)}), address 0x{report.Address:x}, {report.Paging} paging");
        tables.WriteLine(report.Paging.Levels == 5
            ? $"indices: PGD {split.Pgd}, P4D {split.P4d}, PUD {split.Pud}, PMD {split.Pmd}, PTE {split.Pte}, offset 0x{split.Offset:x}"
            : $"indices: PGD {split.Pgd}, P4D folded, PUD {split.Pud}, PMD {split.Pmd}, PTE {split.Pte}, offset 0x{split.Offset:x}");
        var table = new Table().Border(TableBorder.Simple).AddColumns("Level", "Index", "Entry covers", "Table (by index path)", "Entry");
        if (report.Kernel is not null) table.AddColumns("Table PA", "Entry PA", "Raw entry", "Bits");
        foreach (var step in report.Steps)
        {
            var cells = new List<string>
            {
                step.Level.ToString().ToUpperInvariant(),
                step.State == WalkEntryState.Folded ? "-" : step.Index.ToString(),
                $"0x{step.SpanStart:x} +{HumanOutput.Bytes(step.SpanSize)}", HumanOutput.Cell(step.Table), Describe(step),
            };
            if (report.KernelStep(step.Level) is { } k)
                cells.AddRange([$"0x{k.TablePhysical:x}", $"0x{k.EntryPhysical:x}", $"0x{k.Entry.Value:016x}", string.Join(' ', k.Entry.BitNames(k.Level))]);
            table.AddRow(cells.ToArray());
        }
        tables.Write(table);
        string vma = report.Vma is null ? "outside every VMA" : $"{report.Vma.Class} {report.Vma.Vma.ToMapsLine()}";
        tables.WriteLine($"VMA: {TerminalText.Escape(vma)}");
        if (report.Vma?.Note is { } vmaNote) tables.WriteLine($"note: {TerminalText.Escape(vmaNote)}");
        if (report.LeafSize is { } size) tables.WriteLine($"leaf: {report.LeafLevel.ToString()!.ToUpperInvariant()} entry mapping {HumanOutput.Bytes(size)}");
        if (report.State != PageState.Unmapped)
            tables.WriteLine(PageText.Line(report.Address, report.Page, report.PhysicalAddress ?? 0, report.Visibility));
        if (report.State == PageState.Present && report.Visibility.FrameFlagsVisible)
            tables.WriteLine($"frame flags: {FrameFlagNames.ToLetters(report.Page.Flags)}  ({FrameFlagNames.ToLongNames(report.Page.Flags)}), mapped {report.Page.MapCount} time(s)");
        foreach (var note in report.Notes) tables.WriteLine($"note: {TerminalText.Escape(note)}");
    }

    private static string Describe(WalkStep step) => step.State switch
    {
        WalkEntryState.Folded => "folded into the PGD (4-level paging)",
        WalkEntryState.NextTable => "points to the next table",
        WalkEntryState.Leaf => "leaf: maps the frame",
        WalkEntryState.SwapEntry => "swap entry",
        WalkEntryState.MarkerEntry => "marker: no frame (guard region, migration, userfaultfd)",
        WalkEntryState.KernelHalf => "kernel half: the kernel's own tables, shared by every process",
        WalkEntryState.Empty => "empty (the kernel's entry)",
        WalkEntryState.NotPresent => "not present: migration, device or bad entry",
        _ => "no populated page below: empty (or an emptied table)",
    };
}
