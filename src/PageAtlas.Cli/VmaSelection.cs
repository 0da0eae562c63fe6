using System.CommandLine;
using PageAtlas.Model;

namespace PageAtlas.Cli;

/// <summary>The --vma and --range options, and the address ranges they select.</summary>
internal static class VmaSelection
{
    public static Option<string[]> VmaOption() => new("--vma")
    {
        Description = "Only the region (VMA) containing this address, or with this path or file name ([heap], libc.so.6); repeatable", HelpName = "vma",
    };

    public static Option<string[]> RangeOption() => new("--range") { Description = "Only addresses in ADDR..END, ADDR-END or ADDR+LEN (hexadecimal); repeatable", HelpName = "range" };

    /// <summary>True when neither option was given.</summary>
    public static bool IsEverything(string[] vmaSelectors, string[] ranges) => vmaSelectors.Length == 0 && ranges.Length == 0;

    /// <summary>
    /// The address ranges to read: the chosen VMAs, cut to the chosen ranges, in address order. A
    /// range that starts or ends inside a page covers that page whole (pages are what is read), and
    /// a note on stderr says so.
    /// </summary>
    public static List<AddressRange> Select(CliConsole console, IMemoryTarget target, string[] vmaSelectors, string[] rangeTexts)
    {
        var ranges = rangeTexts.Select(text => WholePages(console, text, target.Machine.PageSize)).ToList();
        var vmas = vmaSelectors.Length == 0
            ? target.Vmas.ToList()
            : target.Vmas.Where(v => vmaSelectors.Any(s => Matches(v.Vma, s))).ToList();
        if (vmaSelectors.Length > 0 && vmas.Count == 0)
            throw new InvalidRequestException($"no VMA of process {target.Pid} matches --vma {string.Join(", ", vmaSelectors)}");
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
        selected.Sort((a, b) => a.Start.CompareTo(b.Start));
        return selected;
    }

    private static AddressRange WholePages(CliConsole console, string text, int pageSize)
    {
        var asked = AddressRange.Parse(text);
        var whole = asked.ToWholePages(pageSize);
        if (whole != asked) console.Note($"--range {text} covers whole pages: 0x{whole.Start:x}..0x{whole.End:x}");
        return whole;
    }

    private static bool Matches(Vma vma, string selector)
    {
        if (vma.Path == selector || Path.GetFileName(vma.Path) == selector) return true;
        try
        {
            return vma.Contains(AddressRange.ParseAddress(selector));
        }
        catch (InvalidRequestException)
        {
            return false;
        }
    }
}
