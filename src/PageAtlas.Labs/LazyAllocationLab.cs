using PageAtlas.Linux;

namespace PageAtlas.Labs;

/// <summary>
/// Seed 003: memory is allocated lazily. malloc moves the program break; the pages between the old
/// and the new break exist in the address space but have no frame until something writes them.
/// </summary>
public sealed class LazyAllocationLab : ILab
{
    private const int GrowPages = 16, WrittenPage = 5;

    /// <inheritdoc/>
    public string Name => "lazy-alloc";

    /// <inheritdoc/>
    public string Title => "the heap grows with malloc, and its new pages get a frame only when written";

    /// <inheritdoc/>
    public LabReport Run(LabCapture? capture = null)
    {
        using var lazy = SpecimenProcess.Start("lazy");
        var verdicts = new List<LabVerdict>();
        var observations = new List<string>();

        // 1. malloc 4 KiB blocks until the break moves (glibc grows the heap in steps of 132 KiB or more).
        ulong startBreak = LabPages.ParseHex(lazy.Line("brk")[1]), lastBreak = startBreak;
        int mallocs = 0;
        while (lastBreak == startBreak && mallocs < 1024)
        {
            lastBreak = LabPages.ParseHex(lazy.Command("malloc 4096").Split(' ')[3]);
            mallocs++;
        }
        verdicts.Add(new LabVerdict("the program break grows with malloc", lastBreak > startBreak,
            $"after {mallocs} malloc(4096) the break moved from {LabPages.Hex(startBreak)} to {LabPages.Hex(lastBreak)} (+{(lastBreak - startBreak) / 1024} KiB)"));

        // 2. Move the break by hand, so that nothing (not even malloc's bookkeeping) touches the new pages.
        var grown = lazy.Command($"sbrk {GrowPages}").Split(' ');
        ulong oldBreak = LabPages.ParseHex(grown[1]), newBreak = LabPages.ParseHex(grown[3]);
        using (var target = LiveProcess.Open(lazy.Pid))
        {
            var pages = LabPages.Range(target, oldBreak, newBreak);
            int populated = pages.Count(p => p.Entry.IsPopulated);
            bool inHeap = target.Vmas.Any(v => v.Class.Kind == Model.SegmentKind.Heap && v.Vma.Start <= oldBreak && v.Vma.End >= newBreak);
            verdicts.Add(new LabVerdict("pages between the old and the new break are in the address space but have no frame",
                inHeap && pages.Length == GrowPages && populated == 0,
                $"sbrk({GrowPages} pages): {LabPages.Hex(oldBreak)}–{LabPages.Hex(newBreak)} lies in the [heap] VMA: {inHeap}; {populated} of {pages.Length} pages populated"));
        }

        // 3. Write one of them.
        ulong written = oldBreak + WrittenPage * 4096UL;
        lazy.Command($"write {LabPages.Hex(written)}");
        using (var target = LiveProcess.Open(lazy.Pid))
        {
            var pages = LabPages.Range(target, oldBreak, newBreak);
            var present = pages.Select((p, i) => (p, i)).Where(x => x.p.Entry.IsPresent).Select(x => x.i).ToArray();
            var page = pages[WrittenPage];
            verdicts.Add(new LabVerdict("writing a page gives it a frame, and only that page",
                present.SequenceEqual([WrittenPage]),
                $"after writing {LabPages.Hex(written)}: page(s) present {string.Join(", ", present)} of 0–{GrowPages - 1}; " +
                $"VA {LabPages.Hex(written)} -> PFN {LabPages.Hex(page.Entry.Pfn)} (PA {LabPages.Hex(page.Entry.Pfn * 4096)})"));
            capture?.Invoke([lazy.Pid]);
            verdicts[0] = verdicts[0] with { Links = [LabLink.AddressSpace("the address space: the [heap] VMA up to the break", lazy.Pid)] };
            verdicts[1] = verdicts[1] with { Links = [LabLink.Page($"the first page past the old break (still without a frame: only the page at index {WrittenPage} was written)", lazy.Pid, oldBreak)] };
            verdicts[2] = verdicts[2] with
            {
                Links = [LabLink.Page("the page written, with its walk", lazy.Pid, written), LabLink.FrameOf("its frame", page.Entry.Pfn)],
            };
            observations.Add($"virtual size {target.Facts.VirtualSize / 1024} KiB, resident {target.Facts.ResidentBytes / 1024} KiB: the heap's virtual growth costs no memory until it is written");
        }
        return new LabReport(Name, Title, "003", verdicts, observations) { Subjects = [lazy.Pid] };
    }
}
