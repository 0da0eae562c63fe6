using PageAtlas.Analysis;
using PageAtlas.Paging;
using PageAtlas.Rendering;

namespace PageAtlas.Tests;

/// <summary>The tree rebuilt from pages of a fake target, on 4- and 5-level paging.</summary>
public class PageTableReconstructionTests
{
    private const ulong Mib2 = 2UL << 20, Gib = 1UL << 30;

    [Fact]
    public void FourLevelTreeHasOneTablePerPopulatedSpanAndNoP4d()
    {
        // Two pages in one 2 MiB region, one in the next region, one in another gigabyte.
        ulong b = 0x7f0000000000;
        var target = new FakeTarget(PagingMode.FourLevel, vmPteKb: 4 * 6)
            .Vma(b, b + 2 * Gib)
            .Present(b, 0x1000).Present(b + 0x1000, 0x1001).Present(b + Mib2, 0x2000).Present(b + Gib + 0x5000, 0x3000);
        var tree = PageTableReconstruction.Build(target);

        Assert.Equal([PageTableLevel.Pgd, PageTableLevel.Pud, PageTableLevel.Pmd, PageTableLevel.Pte], tree.Levels.Select(l => l.Level));
        Assert.Equal(1, tree.At(PageTableLevel.Pgd).Tables);
        Assert.Equal(1, tree.At(PageTableLevel.Pud).Tables);
        Assert.Equal(2, tree.At(PageTableLevel.Pmd).Tables);
        Assert.Equal(3, tree.At(PageTableLevel.Pte).Tables);
        Assert.Equal(4, tree.At(PageTableLevel.Pte).Leaves);
        Assert.Equal(6, tree.Accounting.ReconstructedTables);
        Assert.Equal(0, tree.Accounting.ExtraKernelTables);

        var first = tree.Tables.Single(t => t.Level == PageTableLevel.Pte && t.SpanStart == b);
        Assert.Equal("pgd[254]/pud[0]/pmd[0]/pte", first.Name);
        var run = Assert.Single(first.Runs);
        Assert.Equal((0, 2, true, 0x1000UL), (run.FirstIndex, run.Count, run.Contiguous, run.MinFrame));
        // Pre-order: every table comes after its parent, and the parent's entry points back at it.
        for (int i = 1; i < tree.Tables.Count; i++)
        {
            var table = tree.Tables[i];
            Assert.True(table.Parent < i);
            Assert.Contains(tree.Tables[table.Parent].Runs, r => r.Kind == TableEntryKind.Table && r.Child == i && r.FirstIndex == table.IndexInParent);
        }
    }

    [Fact]
    public void FiveLevelTreeAddsP4dTablesAndNamesThem()
    {
        ulong low = 0x7f0000000000, high = 0xff000000000000;   // above 2^47: only 5-level paging reaches it (PGD index 255)
        var target = new FakeTarget(PagingMode.FiveLevel).Vma(low, low + Mib2).Vma(high, high + Mib2)
            .Present(low, 0x10).Present(high + 0x3000, 0x20);
        var tree = PageTableReconstruction.Build(target);

        Assert.Equal(5, tree.Levels.Count);
        Assert.Equal(2, tree.At(PageTableLevel.P4d).Tables);
        Assert.Equal(2, tree.At(PageTableLevel.Pte).Tables);
        Assert.Equal(2, tree.At(PageTableLevel.Pgd).TableEntries);
        var leafTable = tree.Tables.Single(t => t.Level == PageTableLevel.Pte && t.SpanStart == high);
        Assert.Equal(PageTableNames.Table(PagingMode.FiveLevel, high, PageTableLevel.Pte), leafTable.Name);
        Assert.Equal("pgd[255]/p4d[0]/pud[0]/pmd[0]/pte", leafTable.Name);
        Assert.Equal("pgd[0]/p4d[254]/pud[0]/pmd[0]/pte", tree.Tables.Single(t => t.Level == PageTableLevel.Pte && t.SpanStart == low).Name);
        Assert.Equal(3, leafTable.Runs.Single().FirstIndex);
        // VmPTE does not count P4D tables: PUD + PMD + PTE only.
        Assert.Equal(6, tree.Accounting.ReconstructedTables);
    }

    [Fact]
    public void HugeLeavesEndThePathAtTheirLevel()
    {
        ulong thp = 0x7f0000000000, huge1g = 0x7f4000000000;
        var target = new FakeTarget(PagingMode.FourLevel)
            .Vma(thp, thp + 2 * Mib2).Vma(huge1g, huge1g + Gib, kernelPageSize: Gib)
            .Present(thp, 0x40000, 1024, huge: true)       // two 2 MiB THP leaves, contiguous frames
            .Present(huge1g, 0x80000, 3, huge: true);      // a 1 GiB hugetlb page (its first pages)
        var tree = PageTableReconstruction.Build(target);

        Assert.Equal(0, tree.At(PageTableLevel.Pte).Tables);
        var pmdLeaves = tree.Tables.Single(t => t.Level == PageTableLevel.Pmd).Runs.Single();
        Assert.Equal((TableEntryKind.Leaf, 2, true), (pmdLeaves.Kind, pmdLeaves.Count, pmdLeaves.Contiguous));
        Assert.Equal(2, tree.At(PageTableLevel.Pmd).Leaves);
        Assert.Equal(1, tree.At(PageTableLevel.Pud).Leaves);
        Assert.Equal(2, tree.Accounting.DepositedTables);   // anonymous THP only, not hugetlb
        Assert.Contains("2 × 2 MiB leaf, PFN 0x40000–0x40200 contiguous",
            PageTableText.Describe(tree, tree.Tables.Single(t => t.Level == PageTableLevel.Pmd), pmdLeaves), StringComparison.Ordinal);
    }

    [Fact]
    public void FoldingMergesAVmasEntriesButFullKeepsExactRuns()
    {
        ulong b = 0x7f0000000000;
        var target = new FakeTarget(PagingMode.FourLevel).Vma(b, b + Mib2)
            .Present(b, 0x500).Present(b + 0x1000, 0x501).Present(b + 0x2000, 0x900).Swapped(b + 0x3000);
        var folded = PageTableReconstruction.Build(target).Tables.Single(t => t.Level == PageTableLevel.Pte).Runs;
        var full = PageTableReconstruction.Build(target, full: true).Tables.Single(t => t.Level == PageTableLevel.Pte).Runs;

        Assert.Equal([(0, 3, false, 0x500UL, 0x900UL)], folded.Where(r => r.Kind == TableEntryKind.Leaf).Select(r => (r.FirstIndex, r.Count, r.Contiguous, r.MinFrame, r.MaxFrame)));
        Assert.Equal([(0, 2, true), (2, 1, true)], full.Where(r => r.Kind == TableEntryKind.Leaf).Select(r => (r.FirstIndex, r.Count, r.Contiguous)));
        Assert.Equal(3, folded.Single(r => r.Kind == TableEntryKind.Swap).FirstIndex);
    }

    [Fact]
    public void ManyChildTablesAreSummarisedUnlessFull()
    {
        ulong b = 0x7f0000000000;
        var target = new FakeTarget(PagingMode.FourLevel).Vma(b, b + Gib);
        for (ulong i = 0; i < 20; i++) target.Present(b + i * Mib2, 0x1000 + i);
        var tree = PageTableReconstruction.Build(target);

        var pmd = tree.Tables.Single(t => t.Level == PageTableLevel.Pmd);
        var cells = new PageTableView(tree, full: false).Cells(pmd);
        var hidden = Assert.Single(cells, c => c.Hidden is not null).Hidden!;
        Assert.Equal((3, 17, 15, 15L), (hidden.FirstIndex, hidden.LastIndex, hidden.Tables, hidden.PresentPages));
        Assert.Equal(5 + 3, new PageTableView(tree, full: false).DrawnTables().Count());
        Assert.Equal(tree.Tables.Count, new PageTableView(tree, full: true).DrawnTables().Count());
    }

    [Fact]
    public void ZeroPageAndGuardEntriesAreRunsOfTheirOwnNeverAPhysicalRange()
    {
        ulong b = 0x7f0000000000;
        var target = new FakeTarget(PagingMode.FourLevel).Vma(b, b + Mib2)
            .ZeroPages(b, 0x3b34, 4).Present(b + 0x4000, 0x500).Present(b + 0x5000, 0x900).Guard(b + 0x6000).Guard(b + 0x7000);
        foreach (bool full in new[] { false, true })
        {
            var tree = PageTableReconstruction.Build(target, full: full);
            var pte = tree.Tables.Single(t => t.Level == PageTableLevel.Pte);
            var zero = pte.Runs.Single(r => r.Kind == TableEntryKind.ZeroPage);
            Assert.Equal((0, 4, 0x3b34UL), (zero.FirstIndex, zero.Count, zero.MinFrame));
            Assert.Equal("entries 0–3: 4 map the zero page (PFN 0x3b34, shared by every process)", PageTableText.Describe(tree, pte, zero));
            var guard = pte.Runs.Single(r => r.Kind == TableEntryKind.Guard);
            Assert.StartsWith("entries 6–7: 2 guard markers", PageTableText.Describe(tree, pte, guard), StringComparison.Ordinal);
            Assert.Equal((4L, 0L, 2L), (tree.At(PageTableLevel.Pte).Leaves - 2, tree.At(PageTableLevel.Pte).SwapEntries, tree.At(PageTableLevel.Pte).MarkerEntries));
        }
        // Folded, frames 0x500 and 0x900 are a set: its bounds are never written as a physical range.
        var folded = PageTableReconstruction.Build(target);
        var table = folded.Tables.Single(t => t.Level == PageTableLevel.Pte);
        var set = table.Runs.Single(r => r.Kind == TableEntryKind.Leaf);
        Assert.Equal("entries 4–5: 2 present, PFNs within 0x500–0x900, not contiguous", PageTableText.Describe(folded, table, set));
        Assert.Equal("PAs within 0x500000–0x900fff, not contiguous", PageTableText.PhysicalRange(folded, table, set));
    }
}
