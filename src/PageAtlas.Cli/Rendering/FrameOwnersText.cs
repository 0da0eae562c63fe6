using PageAtlas.Analysis;
using PageAtlas.Model;
using PageAtlas.Rendering;
using System.Globalization;

namespace PageAtlas.Cli.Rendering;

/// <summary>frame's text: one frame's flags, map count, cgroup and the processes that map it.</summary>
internal static class FrameOwnersText
{
    public static void Write(CliConsole console, FrameOwnersReport report, double seconds, TextLayout layout)
    {
        using var output = console.OpenText(layout);
        output.WriteLine($"PFN 0x{report.Pfn:x}: physical 0x{report.PhysicalAddress:x}–0x{report.PhysicalAddress + (ulong)report.PageSize - 1:x}");
        output.WriteParagraph($"flags: {FrameFlagNames.ToLetters(report.Flags)}  ({Names(report.Flags)})", indent: 7);
        output.WriteLine($"map count (kpagecount): {report.MapCount}");
        string cgroup = report.CgroupInode switch
        {
            null => "unknown (no /proc/kpagecgroup)",
            0 => "none",
            { } inode => report.CgroupPath is { } path ? $"{TerminalText.Escape(path)} (inode {inode})" : $"inode {inode} (no such directory under /sys/fs/cgroup)",
        };
        output.WriteParagraph($"memory cgroup: {cgroup}", indent: 15);
        if (report.Mappings.Count == 0) output.WriteLine("mapped by: no process");
        else
        {
            output.WriteLine();
            Column[] columns = [new("pid", ColumnKind.Number), new("command", ColumnKind.Text, 3), new("virtual address", ColumnKind.Address),
                new("class", ColumnKind.Text, 4), new("VMA", ColumnKind.Path, 2)];
            TextTable.WriteCells(output, columns, report.Mappings, (m, cells) =>
            {
                cells.At(0).Number((ulong)m.Pid);
                cells.At(1).Text(TerminalText.Escape(m.Command));
                cells.At(2).Text("0x").Hex(m.Address);
                cells.At(3).Text(TerminalText.Escape(m.Vma.Class.ToString())).Colour(TerminalColours.Of(m.Vma.Class));
                cells.At(4).Text(TerminalText.Escape(m.Vma.Vma.ToMapsLine()));
            });
            output.WriteLine();
        }
        output.WriteParagraph(string.Create(CultureInfo.InvariantCulture,
            $"searched {report.ProcessesSearched} processes ({report.ProcessesSkipped} skipped: kernel threads, zombies, exited) in {seconds:0.000} s"));
        foreach (var note in report.Notes) output.WriteParagraph($"note: {TerminalText.Escape(note)}", indent: 6);
    }

    private static string Names(FrameFlags flags) => flags == FrameFlags.None ? "no flags" : FrameFlagNames.ToLongNames(flags);
}
