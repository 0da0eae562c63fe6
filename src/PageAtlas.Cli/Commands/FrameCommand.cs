using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using PageAtlas.Snapshots;
using Spectre.Console;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas frame &lt;pfn&gt;: one frame's flags, map count, memory cgroup, and every process that maps it.</summary>
internal static class FrameCommand
{
    public static Command Create(CliConsole console)
    {
        var frame = new Argument<string>("frame") { Description = "Page frame number (hexadecimal, with or without 0x); with --phys, a physical address" };
        var physical = new Option<bool>("--phys") { Description = "Read the argument as a physical address, not a PFN" };
        var json = CommonOptions.Json();
        var snapshot = TargetSource.SnapshotOption();
        var command = new Command("frame", "Show one page frame: flags, map count, memory cgroup, and who maps it (pid, virtual address, VMA) across every process")
        {
            frame, physical, json, snapshot,
        };
        command.SetHandler((result, token) =>
        {
            ulong value = AddressRange.ParseAddress(result.GetValue(frame)!);
            using var machine = FrameMachine.Open(result.GetValue(snapshot));
            ulong pfn = result.GetValue(physical) ? value / (ulong)machine.Frames.Machine.PageSize : value;
            var clock = Stopwatch.StartNew();
            var (inode, cgroup) = machine.CgroupOf(pfn);
            var pids = machine.Pids();
            FrameOwnersReport report;
            using (var progress = OwnersProgress(console, pfn, pids.Count, result.GetValue(json)))
                report = FrameOwners.Find(pfn, machine.Frames, pids, Counted(machine.OpenProcess, progress), inode, cgroup);
            double seconds = clock.Elapsed.TotalSeconds;
            if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(console, w => FrameOwnersJson.Write(w, report, seconds));
            Render(console, report, seconds);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Searching every process for a frame counts processes: their page tables are the work.</summary>
    private static ProgressDisplay? OwnersProgress(CliConsole console, ulong pfn, int processes, bool json)
    {
        var progress = ProgressDisplay.Start(console, $"who maps PFN 0x{pfn:x}", "processes", json);
        progress?.Work.AddTotal(processes);
        return progress;
    }

    private static Func<int, IMemoryTarget> Counted(Func<int, IMemoryTarget> open, ProgressDisplay? progress) => pid =>
    {
        progress?.Work.Advance(1);
        return open(pid);
    };

    private static void Render(CliConsole console, FrameOwnersReport report, double seconds)
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
