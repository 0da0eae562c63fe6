using PageAtlas.Model;
using PageAtlas.Paging;

namespace PageAtlas.Analysis;

/// <summary>What a run of page-table entries does.</summary>
public enum TableEntryKind
{
    /// <summary>Each entry points to a next-level table (one run per entry).</summary>
    Table,
    /// <summary>Leaf entries mapping frames: 4 KiB PTEs, 2 MiB PMDs, 1 GiB PUDs.</summary>
    Leaf,
    /// <summary>Swap entries: the page is on a swap device.</summary>
    Swap,
    /// <summary>
    /// Leaf entries mapping the kernel's shared zero page (or the huge zero page at the PMD): a read
    /// fault on private anonymous memory maps it (mm/memory.c do_anonymous_page), so every entry holds
    /// the same frame, which is no memory of the process's own.
    /// </summary>
    ZeroPage,
    /// <summary>Guard-region markers (MADV_GUARD_INSTALL): the entry makes any access fault; no frame, no swap.</summary>
    Guard,
    /// <summary>Other non-present markers the kernel keeps in an entry: a page under migration, a poisoned page, a userfaultfd marker.</summary>
    Marker,
}

/// <summary>
/// Consecutive used entries of one table that do the same thing within one VMA. A
/// <see cref="TableEntryKind.Table"/> entry is always a run of its own, pointing at
/// <see cref="Child"/>. For leaves, <see cref="Contiguous"/> says each entry maps the frame right
/// after the previous one's, so every entry's frame follows from <see cref="MinFrame"/>.
/// </summary>
/// <param name="FirstIndex">Index of the first entry (0–511).</param>
/// <param name="Count">Entries in the run.</param>
/// <param name="Kind">Pointer, leaf, zero-page leaf, swap entry or marker.</param>
/// <param name="Child">For a table entry: the index in <see cref="PageTableTree.Tables"/> of the table it points to; otherwise −1.</param>
/// <param name="VmaIndex">For leaves and swap entries: the VMA's index in <see cref="PageTableTree.Vmas"/>; otherwise −1.</param>
/// <param name="MinFrame">Lowest PFN mapped (0 when PFNs are hidden, or for swap entries and markers).</param>
/// <param name="MaxFrame">Highest PFN mapped.</param>
/// <param name="Contiguous">Entry k maps PFN <see cref="MinFrame"/> + k × (pages per leaf), ascending.</param>
public readonly record struct TableEntryRun(
    int FirstIndex, int Count, TableEntryKind Kind, int Child, int VmaIndex, ulong MinFrame, ulong MaxFrame, bool Contiguous)
{
    /// <summary>Index of the last entry.</summary>
    public int LastIndex => FirstIndex + Count - 1;

    /// <summary>The entries map frames (their own or the zero page).</summary>
    public bool MapsFrames => Kind is TableEntryKind.Leaf or TableEntryKind.ZeroPage;
}

/// <summary>One page table the process must have, inferred from a populated page under it.</summary>
/// <param name="Level">PGD, P4D, PUD, PMD or PTE.</param>
/// <param name="Name">The index path that leads to it, as <see cref="PageTableNames"/> writes it ("pgd[255]/pud[3]/pmd").</param>
/// <param name="SpanStart">First virtual address the table covers.</param>
/// <param name="SpanSize">Bytes the table covers (512 entries).</param>
/// <param name="Parent">Index of the parent table in <see cref="PageTableTree.Tables"/>; −1 for the root.</param>
/// <param name="IndexInParent">The parent's entry that points here; −1 for the root.</param>
/// <param name="Runs">Used entries, in index order.</param>
public sealed record PageTable(
    PageTableLevel Level, string Name, ulong SpanStart, ulong SpanSize, int Parent, int IndexInParent, IReadOnlyList<TableEntryRun> Runs)
{
    /// <summary>Entries in use.</summary>
    public int UsedEntries => Runs.Sum(r => r.Count);
}

/// <summary>Table and entry counts at one level.</summary>
/// <param name="Level">The level.</param>
/// <param name="Tables">Tables at this level.</param>
/// <param name="TableEntries">Entries pointing to a next-level table.</param>
/// <param name="Leaves">Leaf entries (a 2 MiB or 1 GiB leaf is one entry).</param>
/// <param name="SwapEntries">Swap entries.</param>
/// <param name="MarkerEntries">Guard-region and other kernel markers: entries that hold neither a frame nor swap.</param>
public sealed record LevelCount(PageTableLevel Level, int Tables, long TableEntries, long Leaves, long SwapEntries, long MarkerEntries = 0);

/// <summary>
/// How the reconstructed tables compare with the kernel's own count, VmPTE in /proc/&lt;pid&gt;/status,
/// which sums the bytes of every PUD, PMD and PTE table (mm_pgtables_bytes; the PGD and P4D are not
/// counted).
/// </summary>
/// <param name="ReconstructedTables">PUD + PMD + PTE tables found.</param>
/// <param name="ReconstructedBytes">Those tables' size (4 KiB each).</param>
/// <param name="DepositedTables">
/// PTE tables the kernel keeps in reserve, one under each 2 MiB leaf of private anonymous memory
/// (a PMD-mapped THP or the huge zero page), so that splitting it never needs an allocation. No
/// entry points to them, but VmPTE counts them.
/// </param>
/// <param name="VmPteBytes">VmPTE, or null when the kernel does not report it.</param>
/// <param name="WholeProcess">The tree covers the whole process, so the two are comparable.</param>
/// <param name="Explanation">What the difference means, in plain words.</param>
public sealed record PageTableAccounting(
    long ReconstructedTables, ulong ReconstructedBytes, long DepositedTables, ulong? VmPteBytes, bool WholeProcess, IReadOnlyList<string> Explanation)
{
    /// <summary>Tables VmPTE counts beyond those reconstructed and deposited, when comparable.</summary>
    public long? ExtraKernelTables => VmPteBytes is { } b && WholeProcess ? (long)(b / 4096) - ReconstructedTables - DepositedTables : null;
}

/// <summary>
/// The page-table tree of a process as far as its populated pages prove it: every table that must
/// exist (a page under it is present or swapped), each with its used entries. Tables are in
/// pre-order (a table, then its children in index order), which is address order.
/// </summary>
/// <param name="Pid">The process.</param>
/// <param name="Command">Its command name.</param>
/// <param name="Machine">Page size and paging mode.</param>
/// <param name="Range">The address range the tree was built for; the whole user space when not restricted.</param>
/// <param name="Folded">Leaf runs were folded regardless of frame contiguity (the default view); otherwise every run is exact.</param>
/// <param name="Vmas">The process's VMAs, which runs refer to by index.</param>
/// <param name="Tables">The tables, root first, in pre-order.</param>
/// <param name="Levels">Counts per active level, root first.</param>
/// <param name="Accounting">Comparison with VmPTE.</param>
/// <param name="Visibility">Whether PFNs could be read.</param>
/// <param name="Notes">What user space cannot see, said plainly.</param>
public sealed record PageTableTree(
    int Pid, string Command, MachineInfo Machine, AddressRange Range, bool Folded, IReadOnlyList<ClassifiedVma> Vmas,
    IReadOnlyList<PageTable> Tables, IReadOnlyList<LevelCount> Levels, PageTableAccounting Accounting,
    FrameVisibility Visibility, IReadOnlyList<string> Notes)
{
    /// <summary>The table counts at <paramref name="level"/> (zero for a folded level).</summary>
    public LevelCount At(PageTableLevel level) =>
        Levels.FirstOrDefault(l => l.Level == level) ?? new LevelCount(level, 0, 0, 0, 0);

    /// <summary>The table a table entry points to.</summary>
    public PageTable ChildOf(TableEntryRun run) => Tables[run.Child];

    /// <summary>The kernel companion's tables of the same range, when it was asked: physical addresses and raw entries.</summary>
    public KernelPageTables? Kernel { get; init; }

    /// <summary>The kernel's copy of <paramref name="table"/>, when the companion read it.</summary>
    public KernelTable? KernelTableOf(PageTable table) => Kernel?.Find(table.Level, table.SpanStart);

    /// <summary>The kernel's entry of <paramref name="table"/> at <paramref name="index"/>, when the companion read it.</summary>
    public KernelTableEntry? KernelEntryOf(PageTable table, int index) =>
        KernelTableOf(table) is { } kernelTable ? Kernel!.Entry(kernelTable.PhysicalAddress, index) : null;
}
