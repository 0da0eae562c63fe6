using PageAtlas.Analysis;
using PageAtlas.Model;
using PageAtlas.Rendering;
using Spectre.Console;
using System.Globalization;

namespace PageAtlas.Cli.Rendering;

/// <summary>frame's text: one frame's flags, map count, cgroup and the processes that map it.</summary>
internal static class FrameOwnersText
{
    public static void Write(CliConsole console, FrameOwnersReport report, double seconds)
    {
        var tables = console.Tables();
        tables.WriteLine($"PFN 0x{report.Pfn:x}: physical 0x{report.PhysicalAddress:x}–0x{report.PhysicalAddress + (ulong)report.PageSize - 1:x}");
        tables.WriteLine($"flags: {FrameFlagNames.ToLetters(report.Flags)}  ({Names(report.Flags)})");
        tables.WriteLine($"map count (kpagecount): {report.MapCount}");
        string cgroup = report.CgroupInode switch
        {
            null => "unknown (no /proc/kpagecgroup)",
            0 => "none",
            { } inode => report.CgroupPath is { } path ? $"{TerminalText.Escape(path)} (inode {inode})" : $"inode {inode} (no such directory under /sys/fs/cgroup)",
        };
        tables.WriteLine($"memory cgroup: {cgroup}");
        if (report.Mappings.Count == 0) tables.WriteLine("mapped by: no process");
        else
        {
            var table = new Table().Border(TableBorder.Simple).AddColumns("pid", "command", "virtual address", "class", "VMA");
            foreach (var m in report.Mappings)
                table.AddRow(m.Pid.ToString(CultureInfo.InvariantCulture), HumanOutput.Cell(m.Command), $"0x{m.Address:x}", HumanOutput.Cell(m.Vma.Class.ToString()), HumanOutput.Cell(m.Vma.Vma.ToMapsLine()));
            tables.Write(table);
        }
        tables.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"searched {report.ProcessesSearched} processes ({report.ProcessesSkipped} skipped: kernel threads, zombies, exited) in {seconds:0.000} s"));
        foreach (var note in report.Notes) tables.WriteLine($"note: {TerminalText.Escape(note)}");
    }

    private static string Names(FrameFlags flags) => flags == FrameFlags.None ? "no flags" : FrameFlagNames.ToLongNames(flags);
}
