using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>Seed 002's task 2, judged: a page the kernel allocated, mapped here, seen from both sides.</summary>
/// <param name="Address">Where the page was mapped in this process.</param>
/// <param name="Magic">The string at the page's start.</param>
/// <param name="WrittenPfn">The PFN the module wrote into the page: the kernel's side.</param>
/// <param name="PagemapPfn">The PFN /proc/self/pagemap gives for the mapping: user space's side (null if not present).</param>
/// <param name="WalkPfn">The PFN the companion's walk of the address ends on.</param>
/// <param name="PatternIntact">The rest of the page holds the module's pattern.</param>
/// <param name="PagesBefore">Maptest pages alive before mapping.</param>
/// <param name="PagesWhileMapped">… while mapped.</param>
/// <param name="PagesAfter">… after unmapping: the page must be freed with its last mapping.</param>
public sealed record MaptestReport(
    ulong Address, string Magic, ulong WrittenPfn, ulong? PagemapPfn, ulong? WalkPfn, bool PatternIntact,
    ulong PagesBefore, ulong PagesWhileMapped, ulong PagesAfter)
{
    /// <summary>The magic string is the module's.</summary>
    public bool MagicMatches => Magic == MaptestMapping.ExpectedMagic;

    /// <summary>Both sides name the same frame.</summary>
    public bool FramesAgree => PagemapPfn == WrittenPfn && WalkPfn == WrittenPfn;

    /// <summary>The page lived exactly as long as its mapping.</summary>
    public bool FreedWithMapping => PagesWhileMapped == PagesBefore + 1 && PagesAfter == PagesBefore;

    /// <summary>Every claim holds.</summary>
    public bool Holds => MagicMatches && FramesAgree && PatternIntact && FreedWithMapping;
}

/// <summary>Runs the maptest: maps the companion's page into this process, reads it, finds its frame from user space and from the kernel's walk, unmaps it.</summary>
public static class KernelMaptest
{
    /// <summary>Runs it once.</summary>
    public static MaptestReport Run(KernelCompanion kernel)
    {
        ulong before = kernel.MaptestPages;
        int self = Environment.ProcessId;
        using (var page = kernel.MapTestPage())
        {
            // pagemap as any user-space reader sees the mapping (the process opened after the mmap)
            using var target = LiveProcess.Open(self);
            var translation = AddressTranslation.Translate(target, new AddressRange(page.Address, page.Address + 1)).First();
            ulong? pagemapPfn = translation.State == PageState.Present && target.Visibility.PfnsVisible ? translation.Page.Entry.Pfn : null;
            var walk = kernel.Walk(self, page.Address);
            ulong? walkPfn = walk.Outcome == Paging.KernelWalkOutcome.Mapped ? walk.PhysicalAddress >> 12 : null;
            var report = new MaptestReport(page.Address, page.Magic, page.WrittenPfn, pagemapPfn, walkPfn, page.PatternIntact,
                before, kernel.MaptestPages, 0);
            page.Dispose();
            return report with { PagesAfter = kernel.MaptestPages };
        }
    }
}
