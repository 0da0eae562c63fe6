using System.CommandLine;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas pages &lt;pid&gt;: seed 001's per-page listing, streamed.</summary>
internal static class PagesCommand
{
    public static Command Create()
    {
        var pid = CommonOptions.Pid();
        var vmaOption = new Option<string[]>("--vma")
        {
            Description = "Only the VMA containing this address, or with this path or file name ([heap], libc.so.6); repeatable",
        };
        var rangeOption = new Option<string[]>("--range") { Description = "Only pages in ADDR..END or ADDR+LEN; repeatable" };
        var all = new Option<bool>("--all") { Description = "Also list pages that are not populated (PFN 0), as seed 001 did" };
        var json = CommonOptions.Json();
        var command = new Command("pages", "List every populated page: VA -> PFN (PA), pagemap bits, frame flags and map count")
        {
            pid, vmaOption, rangeOption, all, json,
        };
        command.SetAction(result =>
        {
            int id = CommonOptions.ParsePid(result.GetValue(pid)!);
            var ranges = (result.GetValue(rangeOption) ?? []).Select(AddressRange.Parse).ToList();
            using var target = LiveProcess.Open(id);
            var selected = Select(target, result.GetValue(vmaOption) ?? [], ranges);
            var options = new PageReadOptions(PopulatedOnly: !result.GetValue(all), WithFrames: true);
            if (result.GetValue(json)) WriteJson(target, selected, options);
            else WriteText(target, selected, options);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The address ranges to list: the chosen VMAs, cut to the chosen ranges.</summary>
    private static List<AddressRange> Select(IMemoryTarget target, string[] vmaSelectors, List<AddressRange> ranges)
    {
        var vmas = vmaSelectors.Length == 0
            ? target.Vmas.ToList()
            : target.Vmas.Where(v => vmaSelectors.Any(s => Matches(v.Vma, s))).ToList();
        if (vmaSelectors.Length > 0 && vmas.Count == 0)
            throw new UsageException($"no VMA of process {target.Pid} matches --vma {string.Join(", ", vmaSelectors)}");
        var selected = new List<AddressRange>();
        foreach (var v in vmas)
        {
            if (ranges.Count == 0)
            {
                selected.Add(new AddressRange(v.Vma.Start, v.Vma.End));
                continue;
            }
            foreach (var r in ranges)
            {
                ulong s = Math.Max(r.Start, v.Vma.Start), e = Math.Min(r.End, v.Vma.End);
                if (s < e) selected.Add(new AddressRange(s, e));
            }
        }
        return selected;
    }

    private static bool Matches(Vma vma, string selector)
    {
        if (vma.Path == selector || Path.GetFileName(vma.Path) == selector) return true;
        try
        {
            return vma.Contains(AddressRange.ParseAddress(selector));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static void WriteText(IMemoryTarget target, List<AddressRange> selected, PageReadOptions options)
    {
        if (target.Visibility.Reason is { } reason) HumanOutput.Warn(reason);
        using var output = new StreamWriter(Console.OpenStandardOutput(), bufferSize: 1 << 16);
        ulong count = 0, present = 0;
        ClassifiedVma? current = null;
        foreach (var range in selected)
        {
            foreach (var batch in target.ReadPages(range.Start, range.End, options))
            {
                if (!ReferenceEquals(batch.Vma, current))
                {
                    current = batch.Vma;
                    output.WriteLine($"# {current.Class}  {current.Vma.ToMapsLine()}");
                }
                foreach (var page in batch.Pages.Span)
                {
                    output.WriteLine(PageText.Line(page.Address, page, page.PhysicalAddress(target.Machine.PageSize), target.Visibility));
                    count++;
                    if (page.Entry.IsPresent) present++;
                }
            }
        }
        output.WriteLine($"# {count} pages listed, {present} present");
    }

    private static void WriteJson(IMemoryTarget target, List<AddressRange> selected, PageReadOptions options)
    {
        using var stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
        using var writer = CommonOptions.JsonOut(stdout, indented: false);
        writer.WriteStartObject();
        JsonRecords.WriteHeader(writer, "pages", target.Pid, target.Stat.Command, target.Machine, target.Visibility);
        writer.WriteEndObject();
        writer.Flush();
        stdout.WriteByte((byte)'\n');
        foreach (var range in selected)
        {
            foreach (var batch in target.ReadPages(range.Start, range.End, options))
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
