using System.CommandLine;
using PageAtlas.Cli.Help;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using PageAtlas.Cli.Rendering;
using PageAtlas.Snapshots;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas frames: the census of every page frame of the machine (seed 001, page-types' summary).</summary>
internal static class FramesCommand
{
    public static Command Create(CliConsole console)
    {
        var byFlags = new Option<bool>("--by-flags") { Description = "Also list each distinct set of frame flags with its count (as the kernel's page-types tool does)" };
        var filter = new Option<string[]>("--filter", "-b")
        {
            Description = "Only frames whose flags match, in page-types' syntax: 'anon,lru' (any of them), 'anon,~lru' (these set and clear), '=anon,mmap' (exactly these); repeatable, all must match",
            HelpName = "flags",
        };
        var mapCounts = new Option<bool>("--map-counts") { Description = "Also add up every mapped frame's map count from /proc/kpagecount (the page-table mappings of frames, per flag set with --by-flags or --json): a tenth more of the kernel's work" };
        var physical = new Option<string?>("--phys") { Description = "Only frames in this physical address range (ADDR..END, ADDR-END or ADDR+LEN, hexadecimal)", HelpName = "range" };
        var json = CommonOptions.Json();
        var snapshot = TargetSource.SnapshotOption();
        var layout = LayoutOptions.WithSizes();
        var command = new Command("frames", "What is the machine's RAM used for? Every physical page frame counted by kind (process memory, file cache, shared memory, kernel slab, page tables, free…) from /proc/kpageflags, beside the /proc/meminfo figure that counts the same thing") { byFlags, filter, physical, mapCounts, json, snapshot };
        CommandExamples.Add(command,
            ("pageatlas frames", "the count of frames of each kind, in pages and bytes, beside /proc/meminfo"),
            ("pageatlas frames -b anon,lru --by-flags", "only anonymous frames on the LRU lists, one line per set of flags"),
            ("pageatlas frames --phys 0x100000..0x40000000", "only the frames between 1 MiB and 1 GiB of physical memory"));
        layout.AddTo(command);
        command.Conflicts(physical, snapshot, "a snapshot keeps the census of the whole machine; a range of physical memory is counted live");
        command.SetHandler((result, token) =>
        {
            var frameFilter = FrameFilter.Parse(result.GetValue(filter) ?? []);
            var range = result.GetValue(physical) is { } text ? AddressRange.Parse(text) : (AddressRange?)null;
            using var machine = FrameMachine.Open(result.GetValue(snapshot));
            var frames = machine.Frames;
            ulong pageSize = (ulong)frames.Machine.PageSize;
            FrameCensusReport report;
            using (var progress = ProgressDisplay.Start(console, "frames", "frames", result.GetValue(json)))
            {
                frames.Progress = progress?.Work;
                frames.Cancellation = token;
                report = FrameCensus.Take(frames, frameFilter, range?.Start / pageSize, range is { } r ? (r.End + pageSize - 1) / pageSize : null, result.GetValue(mapCounts));
            }
            string kernel = frames.Machine.KernelRelease;
            if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(console, w => FrameCensusJson.Write(w, report, kernel));
            FrameCensusText.Write(console, report, result.GetValue(byFlags), layout.Read(result, console));
            return ExitCodes.Ok;
        });
        return command;
    }
}
