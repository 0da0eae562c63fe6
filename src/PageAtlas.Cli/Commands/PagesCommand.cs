using System.CommandLine;
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
        var all = new Option<bool>("--all") { Description = "Also list pages that are not populated (PFN 0), as seed 001 did" };
        var json = CommonOptions.Json();
        var command = new Command("pages", "List every populated page: VA -> PFN (PA), pagemap bits, frame flags and map count; and pages a shared-memory object holds (in swap, or resident) where the page table maps none")
        {
            vmaOption, rangeOption, all, json,
        };
        source.AddTo(command);
        command.SetHandler((result, token) =>
        {
            using var opened = source.Open(result);
            using var progress = ProgressDisplay.Start(console, $"pages of {opened.Pid}", "pages of address space", result.GetValue(json));
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
