using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Paging;

namespace PageAtlas.Analysis;

/// <summary>What user space can tell of the entry used at one level.</summary>
public enum WalkEntryState
{
    /// <summary>The level is folded on this machine (P4D on 4-level paging): the PGD entry serves as its entry.</summary>
    Folded,
    /// <summary>The entry points to a next-level table: some page in its span is populated, so the table exists.</summary>
    NextTable,
    /// <summary>The entry is a leaf: it maps the frame directly (a 4 KiB PTE, a 2 MiB PMD, a 1 GiB PUD).</summary>
    Leaf,
    /// <summary>The entry holds a swap entry for this page.</summary>
    SwapEntry,
    /// <summary>The PTE holds a marker, not a frame: a guard region, a page under migration, a userfaultfd marker.</summary>
    MarkerEntry,
    /// <summary>No page in the entry's span is populated: the entry is empty, or points to a table left empty (only the kernel can tell which).</summary>
    NoPopulatedPage,
    /// <summary>The kernel half of the address space: the entry points into the kernel's own tables, the same in every process, which pagemap does not describe.</summary>
    KernelHalf,
    /// <summary>The kernel companion read the entry: it is empty.</summary>
    Empty,
    /// <summary>The kernel companion read the entry: not present, and not a swap entry (migration, device, marker) or bad.</summary>
    NotPresent,
}

/// <summary>One level of the walk.</summary>
/// <param name="Level">PGD, P4D, PUD, PMD or PTE.</param>
/// <param name="Index">The entry index the address selects (0–511).</param>
/// <param name="SpanStart">First virtual address the entry covers.</param>
/// <param name="SpanSize">Bytes the entry covers (512 GiB, 1 GiB, 2 MiB, 4 KiB…).</param>
/// <param name="Table">The table the entry is in, named by the index path that leads to it ("pgd", "pgd[255]/pud", …).</param>
/// <param name="State">What the entry does, as far as user space can see.</param>
public sealed record WalkStep(PageTableLevel Level, int Index, ulong SpanStart, ulong SpanSize, string Table, WalkEntryState State);

/// <summary>The path of one address through the paging levels to its frame.</summary>
/// <param name="Pid">The process.</param>
/// <param name="Address">The virtual address.</param>
/// <param name="Paging">The machine's paging mode.</param>
/// <param name="Split">The address cut into indices.</param>
/// <param name="Steps">Every level, root first (a folded level included, marked so).</param>
/// <param name="State">The page's state.</param>
/// <param name="Vma">The VMA, or null.</param>
/// <param name="Page">The page record.</param>
/// <param name="LeafLevel">Where the walk ends with a frame (or a swap entry), if it does.</param>
/// <param name="LeafSize">Bytes mapped by the leaf entry.</param>
/// <param name="PhysicalAddress">Frame base plus offset, when present and visible.</param>
/// <param name="Visibility">Which frame figures could be read.</param>
/// <param name="Notes">What user space cannot see, said plainly.</param>
/// <param name="Kernel">The kernel companion's walk (tables' and entries' physical addresses, raw entries), when it was asked.</param>
public sealed record PageWalkReport(
    int Pid, ulong Address, PagingMode Paging, AddressSplit Split, IReadOnlyList<WalkStep> Steps,
    PageState State, ClassifiedVma? Vma, PageRecord Page, PageTableLevel? LeafLevel, ulong? LeafSize,
    ulong? PhysicalAddress, FrameVisibility Visibility, IReadOnlyList<string> Notes, KernelWalk? Kernel = null)
{
    /// <summary>The kernel's reading of <paramref name="level"/>, when the companion walked it.</summary>
    public KernelWalkStep? KernelStep(PageTableLevel level) => Kernel?.Steps.FirstOrDefault(s => s.Level == level);
}

/// <summary>
/// Reconstructs the walk of one address through PGD → P4D → PUD → PMD → PTE from what pagemap
/// and PAGEMAP_SCAN report. Indices and spans are exact arithmetic; whether each table exists is
/// inferred from populated pages under it; a table's physical address needs kernel-side access
/// and is never invented.
/// </summary>
public static class PageWalk
{
    /// <summary>Kernel-side figures user space cannot read.</summary>
    public const string TableAddressNote =
        "table physical addresses and raw entries need kernel-side access (pagemap exposes only the leaf); they are not shown";

    /// <summary>Why the walk of a page in swap ends without a swap entry.</summary>
    public const string SharedSwappedNote =
        "swapped, held by the shared-memory object (not in the page table): when the kernel swaps out a shared-memory page it unmaps it from every page table and keeps the swap entry in the object (mm/shmem.c), so the PTE is empty; a fault finds the entry there and reads the page back";

    /// <summary>Why a page the object holds in RAM has no PTE.</summary>
    public const string SharedResidentNote =
        "resident in the shared-memory object but not mapped by this process: the PTE is empty; a fault would map the object's page without I/O";

    /// <summary>Where table addresses and raw entries came from.</summary>
    public const string KernelSourceNote = "table and entry physical addresses and raw entries read by the kernel companion (" + KernelCompanion.DevicePath + ")";

    /// <summary>
    /// Walks <paramref name="address"/> in <paramref name="target"/>; with <paramref name="kernel"/>
    /// (a live process only) the levels, the leaf and its frame are the kernel's own reading.
    /// </summary>
    public static PageWalkReport Walk(IMemoryTarget target, ulong address, KernelCompanion? kernel = null)
    {
        var report = WalkFromUserSpace(target, address);
        // The companion walks a process's own tables; the kernel half is the kernel's, and stays as user space sees it.
        if (!report.Paging.IsUserAddress(address)) return report;
        if (kernel is null) return report with { Notes = [.. report.Notes, KernelCompanion.HowToLoad] };
        var walk = kernel.Walk(target.Pid, address);
        return WithKernel(report, walk);
    }

    /// <summary>The report redrawn from the kernel's walk: what each entry is, where the walk ends, the frame.</summary>
    private static PageWalkReport WithKernel(PageWalkReport report, KernelWalk walk)
    {
        var steps = new List<WalkStep>();
        foreach (var kernelStep in walk.Steps)
        {
            var userStep = report.Steps.FirstOrDefault(s => s.Level == kernelStep.Level) ?? Step(report.Paging, report.Address, kernelStep.Level, WalkEntryState.NextTable);
            bool last = kernelStep.Level == walk.StopLevel;
            var state = kernelStep.Folded ? WalkEntryState.Folded
                : !last ? WalkEntryState.NextTable
                : walk.Outcome switch
                {
                    KernelWalkOutcome.Mapped => WalkEntryState.Leaf,
                    KernelWalkOutcome.Swap => WalkEntryState.SwapEntry,
                    KernelWalkOutcome.Empty => WalkEntryState.Empty,
                    _ => WalkEntryState.NotPresent,
                };
            steps.Add(userStep with { State = state });
        }
        bool mapped = walk.Outcome == KernelWalkOutcome.Mapped;
        bool leafOrSwap = mapped || walk.Outcome == KernelWalkOutcome.Swap;
        var notes = report.Notes.Where(n => n != TableAddressNote).Prepend(KernelSourceNote).ToList();
        return report with
        {
            Steps = steps,
            LeafLevel = leafOrSwap ? walk.StopLevel : null,
            LeafSize = mapped ? walk.LeafSize : leafOrSwap ? report.Paging.EntrySpan(walk.StopLevel) : null,
            PhysicalAddress = mapped ? walk.PhysicalAddress : report.PhysicalAddress,
            Notes = notes,
            Kernel = walk,
        };
    }

    private static WalkStep Step(PagingMode mode, ulong address, PageTableLevel level, WalkEntryState state)
    {
        ulong span = mode.EntrySpan(level);
        return new WalkStep(level, mode.Index(address, level), address & ~(span - 1), span, PageTableNames.Table(mode, address, level), state);
    }

    private static PageWalkReport WalkFromUserSpace(IMemoryTarget target, ulong address)
    {
        var translation = AddressTranslation.Translate(target, new AddressRange(address, address + 1)).First();
        var mode = target.Machine.Paging;
        var page = translation.Page;
        var notes = new List<string> { TableAddressNote };

        PageTableLevel? leafLevel = null;
        ulong? leafSize = null;
        if (translation.State is PageState.Present or PageState.Swapped)
        {
            if (!page.IsHugeLeaf) leafLevel = PageTableLevel.Pte;
            else
            {
                leafLevel = HugePages.LeafLevel(target, translation.Vma!);
                if (leafLevel is null) notes.Add($"huge leaf of {target.KernelPageSize(translation.Vma!)} bytes: no x86-64 level maps that size");
            }
            if (leafLevel is { } l) leafSize = mode.EntrySpan(l);
        }
        if (translation.State == PageState.SharedSwapped) notes.Add(SharedSwappedNote);
        if (translation.State == PageState.SharedResident) notes.Add(SharedResidentNote);
        if (!target.Visibility.PfnsVisible || !target.Visibility.FrameFlagsVisible) notes.Add(target.Visibility.Reason!);
        if (!mode.IsUserAddress(address))
            notes.Add(translation.Vma?.Class.Kind == SegmentKind.Vsyscall
                ? "the vsyscall page belongs to the kernel's own tables, not the process's; with vsyscall=xonly (the default) nothing maps it at all: a call there traps into the kernel, which runs the matching system call"
                : "the kernel half of the address space: its PGD entries point to the kernel's own page tables, shared by every process; user space cannot see below them");

        var steps = new List<WalkStep>();
        foreach (var level in Enum.GetValues<PageTableLevel>())
        {
            ulong span = mode.EntrySpan(level);
            ulong spanStart = address & ~(span - 1);
            WalkEntryState state;
            if (!mode.Uses(level)) state = WalkEntryState.Folded;
            else if (!mode.IsUserAddress(address)) state = WalkEntryState.KernelHalf;
            else if (level == leafLevel) state = translation.State == PageState.Swapped ? WalkEntryState.SwapEntry : WalkEntryState.Leaf;
            else if (level == PageTableLevel.Pte && translation.State is PageState.Guard or PageState.Marker) state = WalkEntryState.MarkerEntry;
            else state = AnyPopulated(target, spanStart, spanStart + span) ? WalkEntryState.NextTable : WalkEntryState.NoPopulatedPage;
            steps.Add(Step(mode, address, level, state));
            if (state is WalkEntryState.Leaf or WalkEntryState.SwapEntry or WalkEntryState.MarkerEntry or WalkEntryState.NoPopulatedPage
                or WalkEntryState.KernelHalf) break;
        }

        return new PageWalkReport(target.Pid, address, mode, mode.Split(address), steps, translation.State, translation.Vma,
            page, leafLevel, leafSize, translation.PhysicalAddress, target.Visibility, notes);
    }

    private static bool AnyPopulated(IMemoryTarget target, ulong start, ulong end) =>
        target.ReadPages(start, end, new PageReadOptions(PopulatedOnly: true, WithFrames: false)).Any(b => b.Pages.Length > 0);
}
