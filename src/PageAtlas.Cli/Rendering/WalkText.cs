using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Paging;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>walk's text: one address's path through the paging levels, with the kernel companion's columns when it read them.</summary>
internal static class WalkText
{
    public static void Write(CliConsole console, PageWalkReport report, IMemoryTarget target, TextLayout layout)
    {
        using var output = console.OpenText(layout);
        var sizes = layout.Sizes(target.Machine.PageSize);
        var split = report.Split;
        output.WriteParagraph($"pid {report.Pid} ({TerminalText.Escape(target.Facts.Name)}), address 0x{report.Address:x}, {report.Paging} paging");
        output.WriteParagraph(report.Paging.Levels == 5
            ? $"indices: PGD {split.Pgd}, P4D {split.P4d}, PUD {split.Pud}, PMD {split.Pmd}, PTE {split.Pte}, offset 0x{split.Offset:x}"
            : $"indices: PGD {split.Pgd}, P4D folded, PUD {split.Pud}, PMD {split.Pmd}, PTE {split.Pte}, offset 0x{split.Offset:x}");
        output.WriteLine();
        // The kernel companion's raw entry outlasts its decoded bits and the tables' physical addresses at a narrow width.
        List<Column> columns = [new("Level"), new("Index", ColumnKind.Number), new("Covers from", ColumnKind.Address, 5), new("Span", ColumnKind.Size, 4),
            new("Table (by index path)", ColumnKind.Text, 2), new("Entry", ColumnKind.Text, 6)];
        if (report.Kernel is not null) columns.AddRange([new("Table PA", ColumnKind.Address, 1), new("Entry PA", ColumnKind.Address, 1), new("Raw entry", ColumnKind.Address, 3), new("Bits", ColumnKind.Text, 1)]);
        TextTable.WriteCells(output, [.. columns], report.Steps, (step, cells) =>
        {
            cells.At(0).Text(LevelName(step.Level));
            if (step.State == WalkEntryState.Folded) cells.At(1).Text("-");
            else cells.At(1).Number((ulong)step.Index);
            cells.At(2).Text("0x").Hex(step.SpanStart);
            cells.At(3).Size(step.SpanSize, sizes);
            cells.At(4).Text(TerminalText.Escape(step.Table));
            cells.At(5).Text(Describe(step));
            if (report.KernelStep(step.Level) is { } k)
            {
                cells.At(6).Text("0x").Hex(k.TablePhysical);
                cells.At(7).Text("0x").Hex(k.EntryPhysical);
                cells.At(8).Text("0x").Hex(k.Entry.Value, 16);
                cells.At(9).Text(string.Join(' ', k.Entry.BitNames(k.Level)));
            }
        });
        output.WriteLine();
        if (report.Vma is not { } inVma) output.WriteLine("VMA: outside every VMA");
        else
        {
            // The maps line's fields, then its path on a line of its own when it does not fit, shortened as a table shortens paths.
            var v = inVma.Vma;
            string line = v.ToMapsLine(), fields = v.Path.Length > 0 ? line[..line.LastIndexOf(v.Path, StringComparison.Ordinal)].TrimEnd() : line;
            output.WriteParagraph($"VMA: {TerminalText.Escape(inVma.Class.ToString())} {fields}", indent: 5);
            if (v.Path.Length > 0) output.WriteLine($"     {CellShortening.Shorten(TerminalText.Escape(v.Path), output.Layout.Width - 5, ColumnKind.Path)}");
        }
        if (report.Vma?.Note is { } vmaNote) output.WriteParagraph($"note: {TerminalText.Escape(vmaNote)}", indent: 6);
        if (report.LeafSize is { } size) output.WriteLine($"leaf: {LevelName(report.LeafLevel!.Value)} entry mapping {sizes.Text(size)}");
        if (report.State != PageState.Unmapped)
            output.WriteParagraph(PageText.Line(report.Address, report.Page, report.PhysicalAddress ?? 0, report.Visibility), indent: 4);
        if (report.State == PageState.Present && report.Visibility.FrameFlagsVisible)
            output.WriteParagraph($"frame flags: {FrameFlagNames.ToLetters(report.Page.Flags)}  ({FrameFlagNames.ToLongNames(report.Page.Flags)}), mapped {report.Page.MapCount} time(s)", indent: 4);
        foreach (var note in report.Notes) output.WriteParagraph($"note: {TerminalText.Escape(note)}", indent: 6);
    }

    private static string LevelName(PageTableLevel level) => level.ToString().ToUpperInvariant();

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
