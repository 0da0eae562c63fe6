using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Paging;

namespace PageAtlas.LiveTests;

public class WalkTests
{
    [SkippableFact]
    public void PagingModeMatchesTheCpuAndTheAddressesTheKernelHandsOut()
    {
        var mode = PagingModeProbe.Detect();
        bool la57 = File.ReadAllText("/proc/cpuinfo").Split('\n').First(l => l.StartsWith("flags", StringComparison.Ordinal)).Split(' ').Contains("la57");
        if (!la57) Assert.Equal(4, mode.Levels);
        // Every mapping of this process must lie in the user space the mode allows.
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var vma = ProcMaps.ParseLine(line);
            if (vma.Path != "[vsyscall]") Assert.True(vma.End <= mode.UserAddressEnd + 4096);
        }
    }

    [SkippableFact]
    public void WalkOfAPresentPageEndsInAPteLeafWithTheTranslatedFrame()
    {
        using var specimen = Specimen.Start();
        using var target = LiveProcess.Open(specimen.Pid);
        ulong address = specimen["sparse-present"] + 0x123;
        var walk = PageWalk.Walk(target, address);
        var mode = target.Machine.Paging;

        Assert.Equal(PageState.Present, walk.State);
        Assert.Equal(PageTableLevel.Pte, walk.LeafLevel);
        Assert.Equal(4096UL, walk.LeafSize);
        Assert.Equal(5, walk.Steps.Count);
        foreach (var step in walk.Steps)
        {
            Assert.Equal(mode.Index(address, step.Level), step.Index);
            Assert.Equal(address & ~(step.SpanSize - 1), step.SpanStart);
            Assert.Equal(mode.Uses(step.Level) ? (step.Level == PageTableLevel.Pte ? WalkEntryState.Leaf : WalkEntryState.NextTable) : WalkEntryState.Folded, step.State);
        }
        var translated = AddressTranslation.Translate(target, new AddressRange(address, address + 1)).Single();
        Assert.Equal(translated.PhysicalAddress, walk.PhysicalAddress);
        Assert.Equal(0x123UL, walk.PhysicalAddress!.Value & 4095);
        Assert.Contains(walk.Notes, n => n.Contains("kernel-side", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void WalkOfAThpEndsAtAPmdLeaf()
    {
        using var specimen = Specimen.Start("--thp");
        using var target = LiveProcess.Open(specimen.Pid);
        var walk = PageWalk.Walk(target, specimen["thp"] + 0x5000);
        Assert.Equal(PageTableLevel.Pmd, walk.LeafLevel);
        Assert.Equal(2UL << 20, walk.LeafSize);
        Assert.Equal(WalkEntryState.Leaf, walk.Steps[^1].State);
        Assert.Equal(PageTableLevel.Pmd, walk.Steps[^1].Level);
    }

    [SkippableFact]
    public void WalkOfAnUntouchedPageStopsWhereNothingIsPopulated()
    {
        using var specimen = Specimen.Start();
        using var target = LiveProcess.Open(specimen.Pid);
        var walk = PageWalk.Walk(target, specimen["sparse-untouched"]);
        Assert.Equal(PageState.NotPopulated, walk.State);
        Assert.Null(walk.LeafLevel);
        Assert.Null(walk.PhysicalAddress);
        // Its neighbour two pages down is present, so the PMD entry points to a page table whose entry is empty.
        Assert.Equal(WalkEntryState.NextTable, walk.Steps.Single(s => s.Level == PageTableLevel.Pmd).State);
        Assert.Equal(WalkEntryState.NoPopulatedPage, walk.Steps[^1].State);
    }

    [SkippableFact]
    public void TheVsyscallPageIsInTheKernelHalfNotAnEmptyTable()
    {
        using var specimen = Specimen.Start();
        using var target = LiveProcess.Open(specimen.Pid);
        var vsyscall = target.Vmas.SingleOrDefault(v => v.Class.Kind == SegmentKind.Vsyscall)
            ?? throw new SkipException("this kernel maps no [vsyscall] page (vsyscall=none)");
        var walk = PageWalk.Walk(target, vsyscall.Vma.Start);
        var step = Assert.Single(walk.Steps);
        Assert.Equal((PageTableLevel.Pgd, WalkEntryState.KernelHalf, 511), (step.Level, step.State, step.Index));
        Assert.Contains(walk.Notes, n => n.Contains("vsyscall", StringComparison.Ordinal));
    }
}
