using System.CommandLine;
using PageAtlas.Cli.Help;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using PageAtlas.Cli.Rendering;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas pages &lt;pid&gt;: seed 001's per-page listing, streamed.</summary>
internal static class PagesCommand
{
    public static Command Create(CliConsole console)
    {
        var source = TargetSource.LiveOrSnapshot();
        var vmaOption = VmaSelection.VmaOption();
        var rangeOption = VmaSelection.RangeOption();
        var all = new Option<bool>("--all") { Description = "Also list pages not in use (frame number 0)" };
        var json = CommonOptions.Json();
        var command = new Command("pages", "Every page in use, one line each: virtual address, frame number and physical address, its pagemap bits, the frame's flags and how many mappings share it")
        {
            vmaOption, rangeOption, all, json,
        };
        source.AddTo(command);
        CommandExamples.Add(command,
            ("pageatlas pages 1234 --range 0x7f12a4c00000+64K", "the pages in use among those 64 KiB of process 1234"),
            ("pageatlas pages 1234 --vma '[stack]'", "the pages of its main stack"),
            ("pageatlas pages 1234 --range 0x7f12a4c00000+16K --all", "every page there, in use or not"));
        command.SetHandler((result, token) =>
        {
            using var opened = source.Open(result);
            // The listing streams while it is read: on a terminal it shows how far the work has got, and a
            // progress line drawn there would land in the middle of a row. Progress is for a listing that goes elsewhere.
            using var progress = console.IsOutputRedirected ? ProgressDisplay.Start(console, $"pages of {opened.Pid}", "pages of address space", result.GetValue(json)) : null;
            var target = ProgressTarget.Track(opened, progress, token);
            string[] vmas = result.GetValue(vmaOption) ?? [], ranges = result.GetValue(rangeOption) ?? [];
            // Everything is one read: neighbouring small VMAs then share one pagemap read and one frame join.
            var selected = VmaSelection.IsEverything(vmas, ranges) ? [new AddressRange(0, ulong.MaxValue)] : VmaSelection.Select(console, target, vmas, ranges);
            var options = new PageReadOptions(PopulatedOnly: !result.GetValue(all), WithFrames: true);
            if (result.GetValue(json)) PageListJson.Write(console, target, selected, options);
            else PageListText.Write(console, target, selected, options);
            return ExitCodes.Ok;
        });
        return command;
    }
}
