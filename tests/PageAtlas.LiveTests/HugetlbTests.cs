using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Paging;

namespace PageAtlas.LiveTests;

/// <summary>
/// hugetlbfs pages end the walk early: a 2 MiB page at the PMD, a 1 GiB page at the PUD. The test
/// puts one page in the kernel's pool for the specimen and restores the pool afterwards.
/// </summary>
public class HugetlbTests
{
    [SkippableTheory]
    [InlineData(2, PageTableLevel.Pmd)]
    [InlineData(1024, PageTableLevel.Pud)]
    public void HugetlbPageIsALeafAtTheLevelOfItsSize(int mib, PageTableLevel expectedLeaf) => CheckLeaf(mib, expectedLeaf);

    /// <summary>
    /// Before Linux 6.7 there is no PAGEMAP_SCAN to say which pages sit under huge leaves; a hugetlbfs
    /// VMA's kernel page size still does (every page of it is under one): the same facts must hold.
    /// </summary>
    [SkippableTheory]
    [InlineData(2, PageTableLevel.Pmd)]
    [InlineData(1024, PageTableLevel.Pud)]
    public void WithoutPagemapScanAHugetlbPageIsStillALeafAtItsLevel(int mib, PageTableLevel expectedLeaf)
    {
        Environment.SetEnvironmentVariable(Pagemap.NoScanVariable, "1");
        try
        {
            CheckLeaf(mib, expectedLeaf);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Pagemap.NoScanVariable, null);
        }
    }

    private static void CheckLeaf(int mib, PageTableLevel expectedLeaf)
    {
        using var pool = new HugePagePool(mib * 1024, 1);
        using var specimen = Specimen.Start("--hugetlb-mib", mib.ToString());
        using var target = LiveProcess.Open(specimen.Pid);
        ulong huge = specimen["hugetlb"];
        ulong size = (ulong)mib << 20;

        Assert.Equal(size, target.KernelPageSize(target.Vmas.Single(v => v.Vma.Contains(huge))));
        var walk = PageWalk.Walk(target, huge + 0x1234);
        Assert.Equal(expectedLeaf, walk.LeafLevel);
        Assert.Equal(size, walk.LeafSize);
        Assert.Equal(WalkEntryState.Leaf, walk.Steps[^1].State);
        Assert.Equal(expectedLeaf, walk.Steps[^1].Level);
        Assert.True(walk.Page.Flags.HasFlag(FrameFlags.Huge));

        // The whole page is one frame run: the PFN of the first 4 KiB plus the offset, aligned to the page size.
        var first = AddressTranslation.Translate(target, new AddressRange(huge, huge + 1)).Single();
        Assert.Equal(0UL, first.Page.Entry.Pfn % (size / 4096));
        Assert.Equal(first.Page.Entry.Pfn * 4096 + 0x1234, walk.PhysicalAddress);
        // smaps counts hugetlb pages apart from Rss (as private or shared, by the kernel's own test).
        var kernel = Smaps.Read(specimen.Pid)[target.Vmas.Single(v => v.Vma.Contains(huge)).Vma.Start];
        Assert.Equal(size / 1024, kernel["Private_Hugetlb"] + kernel["Shared_Hugetlb"]);
    }
}
