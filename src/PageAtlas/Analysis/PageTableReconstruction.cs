using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Paging;

namespace PageAtlas.Analysis;

/// <summary>
/// Rebuilds a process's page-table tree from its populated pages. Every present or swapped page
/// proves the tables on its path: one PGD, the PUD, PMD and PTE tables its indices select (a 2 MiB
/// leaf stops at the PMD, a 1 GiB leaf at the PUD). Pages arrive in address order, which is the
/// tree's pre-order, so each level needs only its current table: once an address leaves a table's
/// span, no later page can come back to it.
/// </summary>
public static class PageTableReconstruction
{
    /// <summary>Tables VmPTE leaves out.</summary>
    public const string UncountedLevelsNote = "VmPTE counts PUD, PMD and PTE tables (4 KiB each); the PGD (and a P4D on 5-level paging) are not counted";

    /// <summary>Builds the tree of <paramref name="target"/> over <paramref name="ranges"/> (the whole user space when null).</summary>
    /// <param name="target">The process.</param>
    /// <param name="ranges">Only pages in these ranges (in address order, not overlapping) prove tables.</param>
    /// <param name="full">Keep leaf runs exact (merge only entries with contiguous frames) instead of folding each VMA's consecutive entries into one run.</param>
    /// <param name="kernel">The kernel companion, to add each table's physical address and raw entries (a live process only).</param>
    public static PageTableTree Build(IMemoryTarget target, IReadOnlyList<AddressRange>? ranges = null, bool full = false, KernelCompanion? kernel = null)
    {
        var mode = target.Machine.Paging;
        var levels = mode.ActiveLevels.ToArray();
        bool whole = ranges is null;
        ranges ??= [new AddressRange(0, mode.UserAddressEnd)];
        var hull = ranges.Count == 0 ? new AddressRange(0, 0) : new AddressRange(ranges.Min(r => r.Start), ranges.Max(r => r.End));
        var vmaIndex = new Dictionary<ClassifiedVma, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < target.Vmas.Count; i++) vmaIndex[target.Vmas[i]] = i;

        // The kernel's tables first: where they are known, they say which leaves are huge.
        KernelPageTables? kernelTables = null;
        if (kernel is not null)
        {
            kernelTables = new KernelPageTables();
            foreach (var span in ranges) kernel.ReadTables(target.Pid, span.Start, span.End, kernelTables);
        }
        var builder = new TreeBuilder(mode, levels, mergeAcrossGaps: !full, framesVisible: target.Visibility.PfnsVisible);
        foreach (var span in ranges)
        {
            // Frame flags only (no map counts): they tell the zero page from a frame of the process's own.
            var options = new PageReadOptions(PopulatedOnly: true, WithFrames: target.Visibility.FrameFlagsVisible, WithMapCounts: false, ZeroPageOnly: true);
            foreach (var batch in target.ReadPages(span.Start, span.End, options))
            {
                int vma = vmaIndex[batch.Vma];
                PageTableLevel? hugeLevel = null;
                foreach (ref readonly var page in batch.Pages.Span)
                {
                    if (!page.Entry.IsPopulated || page.Address < span.Start || page.Address >= span.End) continue;
                    // Asked only when a huge leaf turns up: the VMA's page size comes from smaps, which is costly.
                    var leafLevel = kernelTables is not null ? kernelTables.HugeLeafLevel(mode, page.Address) ?? PageTableLevel.Pte
                        : page.IsHugeLeaf ? hugeLevel ??= HugePages.LeafLevel(target, batch.Vma) ?? PageTableLevel.Pmd : PageTableLevel.Pte;
                    builder.Add(page, leafLevel, vma);
                }
            }
        }

        var tables = builder.Finish();
        var counts = levels.Select(l => Count(l, tables)).ToArray();
        long deposited = DepositedTables(target, tables);
        var notes = new List<string> { kernel is null ? PageWalk.TableAddressNote : PageWalk.KernelSourceNote };
        if (kernel is null) notes.Add(KernelCompanion.HowToLoad);
        if (!target.Visibility.PfnsVisible) notes.Add(target.Visibility.Reason!);
        var accounting = Account(counts, deposited, target.Facts.PageTableBytes, whole);
        if (kernelTables is not null)
            accounting = accounting with { Explanation = [.. accounting.Explanation, KernelCount(kernelTables, counts, levels)] };
        return new PageTableTree(target.Pid, target.Facts.Name, target.Machine, hull, !full, target.Vmas, tables, counts,
            accounting, target.Visibility, notes)
        { Kernel = kernelTables };
    }

    /// <summary>The kernel's own table count beside the reconstruction's: what no populated page proves (tables left empty).</summary>
    private static string KernelCount(KernelPageTables kernel, IReadOnlyList<LevelCount> counts, PageTableLevel[] levels)
    {
        var perLevel = levels.Select(l => $"{PageTableNames.Of(l).ToUpperInvariant()} {kernel.CountAt(l)}");
        int extra = levels.Sum(l => kernel.CountAt(l)) - counts.Sum(c => c.Tables);
        return $"the kernel companion reads {string.Join(", ", perLevel)} tables in this range" + (extra == 0
            ? ": the same as reconstructed"
            : $": {extra} more than reconstructed, tables with no populated page under them (left empty, or filled since)");
    }

    /// <summary>One PTE table in reserve under each 2 MiB leaf of private anonymous memory (pgtable_trans_huge_deposit).</summary>
    private static long DepositedTables(IMemoryTarget target, IReadOnlyList<PageTable> tables)
    {
        long deposited = 0;
        foreach (var table in tables)
        {
            if (table.Level != PageTableLevel.Pmd) continue;
            foreach (var run in table.Runs)
            {
                if (!run.MapsFrames) continue;
                var vma = target.Vmas[run.VmaIndex];
                bool privateAnonymous = !vma.Vma.IsFileBacked && (vma.Vma.Permissions & VmaPermissions.Shared) == 0;
                if (privateAnonymous && !HugePages.IsHugetlb(target, vma)) deposited += run.Count;
            }
        }
        return deposited;
    }

    private static LevelCount Count(PageTableLevel level, IReadOnlyList<PageTable> tables)
    {
        int count = 0;
        long pointers = 0, leaves = 0, swaps = 0, markers = 0;
        foreach (var table in tables)
        {
            if (table.Level != level) continue;
            count++;
            foreach (var run in table.Runs)
            {
                switch (run.Kind)
                {
                    case TableEntryKind.Table: pointers += run.Count; break;
                    case TableEntryKind.Leaf or TableEntryKind.ZeroPage: leaves += run.Count; break;
                    case TableEntryKind.Swap: swaps += run.Count; break;
                    default: markers += run.Count; break;
                }
            }
        }
        return new LevelCount(level, count, pointers, leaves, swaps, markers);
    }

    private static PageTableAccounting Account(IReadOnlyList<LevelCount> counts, long deposited, ulong? vmPte, bool whole)
    {
        long tables = counts.Where(c => c.Level is PageTableLevel.Pud or PageTableLevel.Pmd or PageTableLevel.Pte).Sum(c => (long)c.Tables);
        ulong bytes = (ulong)tables * 4096;
        var explanation = new List<string> { UncountedLevelsNote };
        if (deposited > 0)
            explanation.Add($"VmPTE also counts {deposited} PTE table(s) the kernel keeps in reserve under the 2 MiB leaves of private " +
                "anonymous memory (one per THP, so a split needs no allocation); no entry points to them");
        if (vmPte is null) explanation.Add("the kernel does not report VmPTE for this process");
        else if (!whole) explanation.Add("VmPTE covers the whole process, this tree only part of it: compare without --range/--vma");
        else
        {
            long extra = (long)(vmPte.Value / 4096) - tables - deposited;
            if (extra == 0) explanation.Add(deposited == 0
                ? "VmPTE equals the reconstructed PUD + PMD + PTE tables exactly"
                : "VmPTE equals the reconstructed PUD + PMD + PTE tables plus the reserved ones exactly");
            else if (extra > 0)
                explanation.Add($"the kernel holds {extra} table(s) with no populated page under them: a table stays allocated after " +
                    "the pages under it are unmapped, discarded (MADV_DONTNEED) or reclaimed, until its whole span is unmapped; " +
                    "pagemap shows pages, not empty tables");
            else
                explanation.Add($"{-extra} reconstructed table(s) more than VmPTE: the process changed between the two reads, " +
                    "or tables are shared (hugetlb PMD sharing counts a shared table once)");
        }
        return new PageTableAccounting(tables, bytes, deposited, vmPte, whole, explanation);
    }

    /// <summary>Grows the tree one populated page at a time, keeping the open table of each level.</summary>
    private sealed class TreeBuilder(PagingMode mode, PageTableLevel[] levels, bool mergeAcrossGaps, bool framesVisible)
    {
        private readonly List<TableUnderConstruction> _tables = [];
        private readonly TableUnderConstruction?[] _open = new TableUnderConstruction?[levels.Length];
        private ulong _lastLeafStart = ulong.MaxValue;
        private PageTableLevel _lastLeafLevel;

        public void Add(in PageRecord page, PageTableLevel leafLevel, int vma)
        {
            // A huge leaf is reported once per 4 KiB page under it; its first page stands for it.
            ulong leafStart = page.Address & ~(mode.EntrySpan(leafLevel) - 1);
            if (leafStart == _lastLeafStart && leafLevel == _lastLeafLevel) return;
            _lastLeafStart = leafStart;
            _lastLeafLevel = leafLevel;

            for (int depth = 0; depth < levels.Length; depth++)
            {
                var level = levels[depth];
                var table = Open(depth, page.Address);
                int index = mode.Index(page.Address, level);
                if (level == leafLevel || depth == levels.Length - 1)
                {
                    var kind = KindOf(page);
                    ulong frame = kind is TableEntryKind.Leaf or TableEntryKind.ZeroPage && framesVisible ? page.Entry.Pfn : 0;
                    table.AddLeaf(index, kind, vma, frame, mode.EntrySpan(level) >> PagingMode.PageShift, mergeAcrossGaps || !framesVisible);
                    return;
                }
                // The table this entry points to is opened (or found open) on the next iteration.
                table.AddPointer(index);
            }
        }

        private static TableEntryKind KindOf(in PageRecord page) => page.State switch
        {
            PageState.Present when (page.Flags & FrameFlags.ZeroPage) != 0 => TableEntryKind.ZeroPage,
            PageState.Present => TableEntryKind.Leaf,
            PageState.Swapped => TableEntryKind.Swap,
            PageState.Guard => TableEntryKind.Guard,
            _ => TableEntryKind.Marker,
        };

        private TableUnderConstruction Open(int depth, ulong address)
        {
            if (_open[depth] is { } open && open.Covers(address)) return open;
            var level = levels[depth];
            ulong size = mode.EntrySpan(level) * PagingMode.EntriesPerTable;
            ulong start = depth == 0 ? 0 : address & ~(size - 1);
            int parent = -1, indexInParent = -1;
            if (depth > 0)
            {
                var up = _open[depth - 1]!;
                parent = up.Position;
                indexInParent = mode.Index(address, levels[depth - 1]);
                up.PointLastAt(_tables.Count);
            }
            var table = new TableUnderConstruction(level, PageTableNames.Table(mode, address, level), start, size, parent, indexInParent, _tables.Count);
            _tables.Add(table);
            _open[depth] = table;
            for (int below = depth + 1; below < _open.Length; below++) _open[below] = null;
            return table;
        }

        public PageTable[] Finish() => _tables.Select(t => t.ToTable()).ToArray();
    }

    /// <summary>A table whose entries are still being added, in index order.</summary>
    private sealed class TableUnderConstruction(PageTableLevel level, string name, ulong start, ulong size, int parent, int indexInParent, int position)
    {
        private readonly List<TableEntryRun> _runs = [];
        private ulong _lastFrame;

        public int Position => position;

        public bool Covers(ulong address) => address >= start && address - start < size;

        public void AddPointer(int index)
        {
            if (_runs.Count > 0 && _runs[^1].Kind == TableEntryKind.Table && _runs[^1].FirstIndex == index) return;
            _runs.Add(new TableEntryRun(index, 1, TableEntryKind.Table, -1, -1, 0, 0, true));
        }

        /// <summary>The child of the newest pointer is the table about to be created at <paramref name="child"/>.</summary>
        public void PointLastAt(int child) => _runs[^1] = _runs[^1] with { Child = child };

        public void AddLeaf(int index, TableEntryKind kind, int vma, ulong frame, ulong pagesPerLeaf, bool mergeAnyFrames)
        {
            if (_runs.Count > 0)
            {
                var last = _runs[^1];
                bool adjacent = last.Kind == kind && last.VmaIndex == vma && last.LastIndex + 1 == index;
                bool contiguous = last.Contiguous && frame == _lastFrame + pagesPerLeaf && kind == TableEntryKind.Leaf;
                // Only a run of the process's own frames can be exact or not: zero-page entries all hold
                // one frame, swap entries and markers none, so their neighbours always fold.
                bool foldsAlways = kind != TableEntryKind.Leaf;
                if (adjacent && (contiguous || mergeAnyFrames || foldsAlways))
                {
                    _runs[^1] = last with
                    {
                        Count = last.Count + 1,
                        MinFrame = Math.Min(last.MinFrame, frame),
                        MaxFrame = Math.Max(last.MaxFrame, frame),
                        Contiguous = contiguous,
                    };
                    _lastFrame = frame;
                    return;
                }
            }
            _runs.Add(new TableEntryRun(index, 1, kind, -1, vma, frame, frame, kind == TableEntryKind.Leaf && frame != 0));
            _lastFrame = frame;
        }

        public PageTable ToTable() => new(level, name, start, size, parent, indexInParent, _runs.ToArray());
    }
}
