using System.CommandLine;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using PageAtlas.Cli.Rendering;
using PageAtlas.Snapshots;
using Spectre.Console;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas frames: the census of every page frame of the machine (seed 001, page-types' summary).</summary>
internal static class FramesCommand
{
    public static Command Create(CliConsole console)
    {
        var byFlags = new Option<bool>("--by-flags") { Description = "List each distinct set of frame flags with its count, as page-types does" };
        var filter = new Option<string[]>("--filter", "-b")
        {
            Description = "Only frames matching a page-types expression: 'anon,lru' (any), 'anon,~lru' (exactly these set/clear), '=anon,mmap' (exact set); repeatable, all must match",
        };
        var physical = new Option<string?>("--phys") { Description = "Only frames in this range of physical addresses (ADDR..END or ADDR+LEN, hexadecimal)" };
        var json = CommonOptions.Json();
        var snapshot = TargetSource.SnapshotOption();
        var command = new Command("frames", "Count every page frame of the machine by kind, beside /proc/meminfo and /proc/buddyinfo") { byFlags, filter, physical, json, snapshot };
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
                report = FrameCensus.Take(frames, frameFilter, range?.Start / pageSize, range is { } r ? (r.End + pageSize - 1) / pageSize : null);
            }
            string kernel = frames.Machine.KernelRelease;
            if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(console, w => FrameCensusJson.Write(w, report, kernel));
            FrameCensusText.Write(console, report, result.GetValue(byFlags));
            return ExitCodes.Ok;
        });
        return command;
    }
}
