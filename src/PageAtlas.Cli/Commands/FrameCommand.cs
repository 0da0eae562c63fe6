using System.CommandLine;
using PageAtlas.Cli.Help;
using System.Diagnostics;
using System.Globalization;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using PageAtlas.Cli.Rendering;
using PageAtlas.Snapshots;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas frame &lt;pfn&gt;: one frame's flags, map count, memory cgroup, and every process that maps it.</summary>
internal static class FrameCommand
{
    public static Command Create(CliConsole console)
    {
        var frame = new Argument<string?>("pfn") { Description = "The page frame number (PFN), hexadecimal with or without 0x", Arity = ArgumentArity.ZeroOrOne };
        // --phys takes a physical address, as frames --phys takes a range of them: one meaning everywhere.
        var physical = new Option<string?>("--phys") { HelpName = "address", Description = "The frame holding this physical address (hexadecimal), instead of its PFN" };
        var json = CommonOptions.Json();
        var snapshot = TargetSource.SnapshotOption();
        var layout = LayoutOptions.Wide();
        var command = new Command("frame", "Who uses this physical page? One page frame's flags, how many mappings it has, its memory cgroup, and every process and virtual address that maps it")
        {
            frame, physical, json, snapshot,
        };
        CommandExamples.Add(command,
            ("pageatlas frame 0x12a4c0", "the frame's flags and map count, and each process and address that maps it"),
            ("pageatlas frame 0x12a4c0 --json", "as JSON"));
        layout.AddTo(command);
        command.Conflicts(physical, frame, "--phys names the frame by a physical address, the argument by its PFN");
        // One frame, by its PFN or by a physical address with --phys: the PFN is required unless --phys gives the frame.
        UsageForms.Register(command, () => [new(null, [new(frame, ArgumentArity.ExactlyOne, physical)])]);
        command.SetHandler((result, token) =>
        {
            string? address = result.GetValue(physical);
            ulong value = AddressRange.ParseAddress(address ?? result.GetValue(frame) ?? throw new InvalidRequestException("frame needs a PFN, or --phys and a physical address"));
            using var machine = FrameMachine.Open(result.GetValue(snapshot));
            ulong pfn = address is not null ? value / (ulong)machine.Frames.Machine.PageSize : value;
            var clock = Stopwatch.StartNew();
            var (inode, cgroup) = machine.CgroupOf(pfn);
            var pids = machine.Pids();
            FrameOwnersReport report;
            using (var progress = OwnersProgress(console, pfn, pids.Count, result.GetValue(json)))
                report = FrameOwners.Find(pfn, machine.Frames, pids, Counted(machine.OpenProcess, progress, token), inode, cgroup);
            double seconds = clock.Elapsed.TotalSeconds;
            if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(console, w => FrameOwnersJson.Write(w, report, seconds));
            FrameOwnersText.Write(console, report, seconds, layout.Read(result, console));
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

    private static Func<int, IMemoryTarget> Counted(Func<int, IMemoryTarget> open, ProgressDisplay? progress, CancellationToken cancellation) => pid =>
    {
        cancellation.ThrowIfCancellationRequested();
        progress?.Work.Advance(1);
        return open(pid);
    };
}
