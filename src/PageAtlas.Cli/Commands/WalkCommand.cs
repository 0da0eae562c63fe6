using System.CommandLine;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using Spectre.Console;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas walk &lt;pid&gt; &lt;addr&gt;: the path of one address through the paging levels.</summary>
internal static class WalkCommand
{
    public static Command Create(CliConsole console)
    {
        var source = TargetSource.LiveOrSnapshot(operandsFollow: true);
        var address = new Argument<string?>("address") { Description = "Virtual address (hexadecimal)", Arity = ArgumentArity.ZeroOrOne };
        var json = CommonOptions.Json();
        var userSpaceOnly = CommonOptions.UserSpaceOnly();
        var command = new Command("walk", "Show the path of one virtual address through PGD, P4D, PUD, PMD and PTE to its frame (with the kernel companion: each table's and entry's physical address and the raw entry)")
        {
            json, userSpaceOnly,
        };
        source.AddTo(command);
        command.Arguments.Add(address);
        command.SetHandler((result, token) =>
        {
            string[] rest = source.Operands(result, result.GetValue(address));
            if (rest.Length != 1) throw new InvalidRequestException("walk needs one address");
            ulong va = AddressRange.ParseAddress(rest[0]);
            using var target = source.Open(result);
            using var kernel = KernelView.Open(console, target, result.GetValue(userSpaceOnly));
            var report = PageWalk.Walk(target, va, kernel);
            if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(console, writer => WalkJson.Write(writer, report, target.Stat.Command, target.Machine));
            Render(console, report, target);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Render(CliConsole console, PageWalkReport report, IMemoryTarget target)
    {
        var tables = console.Tables();
        var split = report.Split;
        tables.WriteLine($"pid {report.Pid} ({TerminalText.Escape(target.Stat.Command)}), address 0x{report.Address:x}, {report.Paging} paging");
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
