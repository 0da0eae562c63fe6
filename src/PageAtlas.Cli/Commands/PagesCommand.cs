using System.CommandLine;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;

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
            var target = ProgressTarget.Track(opened, progress);
            string[] vmas = result.GetValue(vmaOption) ?? [], ranges = result.GetValue(rangeOption) ?? [];
            // Everything is one read: neighbouring small VMAs then share one pagemap read and one frame join.
            var selected = VmaSelection.IsEverything(vmas, ranges) ? [new AddressRange(0, ulong.MaxValue)] : VmaSelection.Select(console, target, vmas, ranges);
            var options = new PageReadOptions(PopulatedOnly: !result.GetValue(all), WithFrames: true);
            if (result.GetValue(json)) WriteJson(console, target, selected, options);
            else WriteText(console, target, selected, options);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteText(CliConsole console, IMemoryTarget target, List<AddressRange> selected, PageReadOptions options)
    {
        if (target.Visibility.Reason is { } reason) console.Warn(reason);
        using var output = console.OpenText();
        ulong count = 0, present = 0, shared = 0;
        ClassifiedVma? current = null;
        var line = new LineBuffer();
        foreach (var range in selected)
        {
            foreach (var batch in SharedMemoryPages.Read(target, range.Start, range.End, options))
            {
                if (!ReferenceEquals(batch.Vma, current))
                {
                    current = batch.Vma;
                    var heading = line.Clear().Append("# ").Append(current.Class.ToString()).Append("  ").MapsLine(current.Vma).Span;
                    // A name's newline must show as \n here, not break the line (the writer under it keeps line breaks).
                    if (TerminalText.NeedsEscape(heading)) output.WriteLine(TerminalText.Escape(heading.ToString()));
                    else output.WriteLine(heading);
                }
                foreach (var page in batch.Pages.Span)
                {
                    output.WriteLine(PageText.Write(page.Address, page, page.PhysicalAddress(target.Machine.PageSize), target.Visibility));
                    count++;
                    if (page.Entry.IsPresent) present++;
                    if (page.InObject != ObjectPageState.None) shared++;
                }
            }
        }
        output.WriteLine($"# {count} pages listed, {present} present" + (shared > 0 ? $", {shared} held by a shared-memory object where the page table maps none" : ""));
    }

    private static void WriteJson(CliConsole console, IMemoryTarget target, List<AddressRange> selected, PageReadOptions options)
    {
        using var stdout = new BufferedStream(console.OpenOutput(), 1 << 16);
        using var writer = CommonOptions.JsonOut(stdout, indented: false);
        writer.WriteStartObject();
        JsonRecords.WriteHeader(writer, "pages", target.Pid, target.Stat.Command, target.Machine, target.Visibility);
        writer.WriteEndObject();
        writer.Flush();
        stdout.WriteByte((byte)'\n');
        foreach (var range in selected)
        {
            foreach (var batch in SharedMemoryPages.Read(target, range.Start, range.End, options))
            {
                foreach (var page in batch.Pages.Span)
                {
                    writer.Reset();
                    writer.WriteStartObject();
                    JsonRecords.WriteHex(writer, "address", page.Address);
                    JsonRecords.WritePageFields(writer, page, target.Machine.PageSize, target.Visibility);
                    JsonRecords.WriteHex(writer, "vmaStart", batch.Vma.Vma.Start);
                    writer.WriteString("class", batch.Vma.Class.ToString());
                    writer.WriteEndObject();
                    writer.Flush();
                    stdout.WriteByte((byte)'\n');
                }
            }
        }
    }
}
