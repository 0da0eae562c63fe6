using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>
/// What a set of pages is made of, counted the way /proc/&lt;pid&gt;/smaps counts it. Page counts
/// are in base pages; <see cref="PssBytes"/> is exact to the byte, as the kernel keeps it.
/// </summary>
/// <param name="Resident">Pages with a frame (smaps Rss): the zero page and hugetlbfs pages are counted apart, as smaps does.</param>
/// <param name="PssScaled">Proportional set size in bytes × 4096 (the kernel's PSS_SHIFT): each page adds its size divided by its map count.</param>
/// <param name="SharedClean">Resident, mapped more than once, clean.</param>
/// <param name="SharedDirty">Resident, mapped more than once, dirty.</param>
/// <param name="PrivateClean">Resident, mapped once, clean.</param>
/// <param name="PrivateDirty">Resident, mapped once, dirty.</param>
/// <param name="Swapped">Pages whose page-table entry is a swap entry.</param>
/// <param name="SharedSwapped">Pages a shared-memory object keeps in swap in the VMA's range, with no entry in the page table (see <see cref="SharedMemorySwap"/>).</param>
/// <param name="Anonymous">Resident anonymous pages (private anonymous memory and copy-on-write copies).</param>
/// <param name="FileBacked">Resident page-cache pages (files, shared memory).</param>
/// <param name="AnonymousHuge">Anonymous pages under a PMD leaf (smaps AnonHugePages).</param>
/// <param name="Ksm">Pages merged by KSM.</param>
/// <param name="ZeroPage">Mappings of the shared zero page (read, never written; smaps leaves them out of Rss).</param>
/// <param name="Hugetlb">hugetlbfs pages (smaps *_Hugetlb, also outside Rss).</param>
public readonly record struct CompositionCounts(
    ulong Resident, ulong PssScaled, ulong SharedClean, ulong SharedDirty, ulong PrivateClean, ulong PrivateDirty,
    ulong Swapped, ulong SharedSwapped, ulong Anonymous, ulong FileBacked, ulong AnonymousHuge, ulong Ksm, ulong ZeroPage, ulong Hugetlb)
{
    /// <summary>All swap, as smaps' Swap counts it: swap entries in the page table and the shared-memory object's.</summary>
    public ulong AllSwapped => Swapped + SharedSwapped;

    /// <summary>The kernel's fixed-point shift for PSS.</summary>
    public const int PssShift = 12;

    /// <summary>Proportional set size in bytes, truncated as smaps truncates it.</summary>
    public ulong PssBytes => PssScaled >> PssShift;

    /// <summary>Unique set size: pages only this process maps (Private_Clean + Private_Dirty).</summary>
    public ulong Unique => PrivateClean + PrivateDirty;

    /// <summary>Pages mapped by other processes too.</summary>
    public ulong Shared => SharedClean + SharedDirty;

    /// <summary>Resident pages that are dirty.</summary>
    public ulong Dirty => SharedDirty + PrivateDirty;

    /// <summary>Field-by-field sum.</summary>
    public static CompositionCounts operator +(CompositionCounts a, CompositionCounts b) => new(
        a.Resident + b.Resident, a.PssScaled + b.PssScaled, a.SharedClean + b.SharedClean, a.SharedDirty + b.SharedDirty,
        a.PrivateClean + b.PrivateClean, a.PrivateDirty + b.PrivateDirty, a.Swapped + b.Swapped, a.SharedSwapped + b.SharedSwapped,
        a.Anonymous + b.Anonymous, a.FileBacked + b.FileBacked, a.AnonymousHuge + b.AnonymousHuge, a.Ksm + b.Ksm, a.ZeroPage + b.ZeroPage,
        a.Hugetlb + b.Hugetlb);
}

/// <summary>The composition of one VMA.</summary>
/// <param name="Vma">The area.</param>
/// <param name="Counts">Its pages.</param>
public sealed record VmaComposition(ClassifiedVma Vma, CompositionCounts Counts);

/// <summary>The composition of one segment class (all of a library's code, every thread stack…).</summary>
/// <param name="Class">The class.</param>
/// <param name="Vmas">How many VMAs it has.</param>
/// <param name="Counts">Their pages.</param>
public sealed record ClassComposition(SegmentClass Class, int Vmas, CompositionCounts Counts);

/// <summary>A process's memory composition per VMA, per segment class and in total.</summary>
/// <param name="Pid">The process.</param>
/// <param name="Command">Its command name.</param>
/// <param name="Machine">Page size and paging mode.</param>
/// <param name="Vmas">Every VMA, in address order.</param>
/// <param name="Classes">Every segment class present, largest resident first.</param>
/// <param name="Total">The whole process.</param>
/// <param name="Visibility">Which figures could be read: without map counts PSS and the shared/private split fall back to pagemap's exclusive bit, and flags-based columns are zero.</param>
/// <param name="Notes">How the figures are defined where smaps differs or user space cannot see.</param>
public sealed record CompositionReport(
    int Pid, string Command, MachineInfo Machine, IReadOnlyList<VmaComposition> Vmas, IReadOnlyList<ClassComposition> Classes,
    CompositionCounts Total, FrameVisibility Visibility, IReadOnlyList<string> Notes);

/// <summary>
/// Works out RSS, PSS, USS, shared and private, clean and dirty, anonymous and file, THP, KSM and
/// zero-page mappings for every VMA from pagemap joined with kpageflags and kpagecount, in one pass.
/// </summary>
public static class Composition
{
    /// <summary>How dirtiness is decided, since the PTE's dirty bit is out of user space's reach.</summary>
    public const string DirtyNote =
        "dirty: the frame's dirty flag, or an anonymous page not in the swap cache (RAM holds its only copy); smaps also reads the PTE's dirty bit, which user space cannot";

    /// <summary>Why no SwapPss is shown.</summary>
    public const string SwapPssNote =
        "no SwapPss: smaps divides each swap entry in a page table by its swap count, which user space cannot read, and counts none of the swap a shared-memory object keeps (its SwapPss for that is 0)";

    /// <summary>Measures every VMA of <paramref name="target"/>.</summary>
    public static CompositionReport Measure(IMemoryTarget target)
    {
        var vmas = MeasureVmas(target);
        var classes = vmas.GroupBy(v => v.Vma.Class)
            .Select(g => new ClassComposition(g.Key, g.Count(), Sum(g)))
            .OrderByDescending(c => c.Counts.Resident).ThenBy(c => c.Class.ToString(), StringComparer.Ordinal).ToArray();
        var total = Sum(vmas);
        var notes = new List<string> { DirtyNote, "the zero page and hugetlbfs pages are counted apart from Rss, as smaps counts them" };
        if (total.SharedSwapped > 0) notes.Add(SharedMemorySwap.Note);
        if (total.AllSwapped > 0) notes.Add(SwapPssNote);
        if (!target.Visibility.FrameFlagsVisible)
            notes.Add($"{target.Visibility.Reason}: PSS is unavailable (shown as RSS), shared/private come from pagemap's exclusive bit, and anonymous/THP/KSM/zero-page columns need frame flags");
        return new CompositionReport(target.Pid, target.Facts.Name, target.Machine, vmas, classes, total, target.Visibility, notes);
    }

    /// <summary>
    /// The whole process's figures without segment classes: what a process list needs, which must not
    /// pay for the ELF headers and thread stacks that classifying reads.
    /// </summary>
    public static CompositionCounts MeasureTotal(IMemoryTarget target) => Sum(MeasureVmas(target));

    private static CompositionCounts Sum(IEnumerable<VmaComposition> vmas) => vmas.Aggregate(default(CompositionCounts), (sum, v) => sum + v.Counts);

    /// <summary>Every VMA's figures, in address order, from one pass over the populated pages.</summary>
    private static VmaComposition[] MeasureVmas(IMemoryTarget target)
    {
        var perVma = new Dictionary<ClassifiedVma, CompositionCounts>(ReferenceEqualityComparer.Instance);
        bool flagsVisible = target.Visibility.FrameFlagsVisible;
        ulong pageSize = (ulong)target.Machine.PageSize;
        foreach (var batch in target.ReadPages(0, ulong.MaxValue, PageReadOptions.PopulatedWithFrames))
        {
            // Only a VMA with huge leaves can be hugetlbfs; asking smaps for any other would be wasted.
            bool hugetlb = batch.Pages.Length > 0 && batch.Pages.Span[0].IsHugeLeaf && HugePages.IsHugetlb(target, batch.Vma);
            perVma.TryGetValue(batch.Vma, out var counts);
            var add = new Accumulator(pageSize, flagsVisible);
            foreach (ref readonly var page in batch.Pages.Span) add.Page(page, hugetlb);
            perVma[batch.Vma] = counts + add.Counts;
        }

        var sharedSwap = target.SharedMemorySwap;
        return target.Vmas.Select(v =>
        {
            var c = perVma.GetValueOrDefault(v);
            return new VmaComposition(v, c with { SharedSwapped = sharedSwap.HeldByObject(v.Vma, c.Swapped, target.Machine.PageSize) });
        }).ToArray();
    }

    /// <summary>Adds pages one at a time into plain fields: millions of pages pass through it.</summary>
    private struct Accumulator(ulong pageSize, bool flagsVisible)
    {
        private ulong _resident, _pss, _sharedClean, _sharedDirty, _privateClean, _privateDirty;
        private ulong _swapped, _anonymous, _file, _anonymousHuge, _ksm, _zero, _hugetlb;

        public readonly CompositionCounts Counts => new(_resident, _pss, _sharedClean, _sharedDirty, _privateClean, _privateDirty,
            _swapped, 0, _anonymous, _file, _anonymousHuge, _ksm, _zero, _hugetlb);

        public void Page(in PageRecord page, bool hugetlb)
        {
            if (page.Entry.IsSwapped) { _swapped++; return; }
            if (!page.Entry.IsPresent) return;
            var flags = page.Flags;
            if (hugetlb) { _hugetlb++; return; }
            if ((flags & FrameFlags.ZeroPage) != 0) { _zero++; return; }
            // Private when mapped once: from the map count, or from pagemap's exclusive bit when the
            // count is hidden (the kernel sets that bit exactly when the map count is 1).
            ulong mapCount = flagsVisible ? page.MapCount : page.Entry.IsExclusive ? 1UL : 2UL;
            bool shared = mapCount >= 2;
            bool anonymous = flagsVisible ? (flags & FrameFlags.Anonymous) != 0 : !page.Entry.IsFileOrSharedAnon;
            bool dirty = (flags & FrameFlags.Dirty) != 0 || (anonymous && (flags & FrameFlags.SwapCache) == 0);
            _resident++;
            _pss += flagsVisible && shared ? (pageSize << CompositionCounts.PssShift) / mapCount : pageSize << CompositionCounts.PssShift;
            if (shared) { if (dirty) _sharedDirty++; else _sharedClean++; }
            else if (dirty) _privateDirty++;
            else _privateClean++;
            if (anonymous)
            {
                _anonymous++;
                if (page.IsHugeLeaf) _anonymousHuge++;
            }
            else _file++;
            if ((flags & FrameFlags.Ksm) != 0) _ksm++;
        }
    }
}
