using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.LiveTests;

public class ResidencyTests
{
    [SkippableFact]
    public void PresentPagesOfEveryVmaEqualSmapsRss()
    {
        using var specimen = Specimen.Start("--thp", "--threads", "2", "--small-maps", "40", "--shared");
        using var target = LiveProcess.Open(specimen.Pid);
        var report = Residency.Measure(target);
        var smaps = Smaps.Read(specimen.Pid);

        Assert.Equal(smaps.Count, report.Vmas.Count);
        foreach (var row in report.Vmas)
        {
            var kernel = smaps[row.Vma.Vma.Start];
            Assert.True(kernel["Rss"] * 1024 / 4096 == row.Counts.Present,
                $"{row.Vma.Vma.ToMapsLine()}: smaps Rss {kernel["Rss"]} kB, PageAtlas {row.Counts.Present} pages");
            Assert.Equal(kernel["Swap"] * 1024 / 4096, row.Counts.Swapped);
            Assert.Equal(kernel["AnonHugePages"] * 1024 / 4096, row.Counts.HugeLeafPages);
            Assert.Equal(kernel["Size"] * 1024 / 4096, row.Counts.Pages);
        }
        Assert.Equal(report.Vmas.Sum(r => (double)r.Counts.Present), (double)report.Total.Present);
    }

    /// <summary>
    /// 256 MiB with every other page written is 32,768 populated ranges: 32 full PAGEMAP_SCAN vectors of
    /// 1,024, the last filling up exactly at the end of the VMA. The kernel (6.18) then returns a walk_end
    /// 4 MiB behind that vector's own last ranges; resuming there counted 512 pages twice.
    /// </summary>
    [SkippableFact]
    public void AnAreaNeedingManyScanVectorsCountsEachPageOnce()
    {
        Requires.PagemapScan();
        using var specimen = Specimen.Start("--alternate-mib", "256");
        ulong area = specimen["alternate"];
        using var target = LiveProcess.Open(specimen.Pid);
        var vma = target.Vmas.Single(v => v.Vma.Contains(area));
        var row = Residency.Measure(target).Vmas.Single(r => r.Vma == vma);
        Assert.Equal(Smaps.Read(specimen.Pid)[vma.Vma.Start]["Rss"] / 4, row.Counts.Present);
        Assert.Equal(256UL * 256 / 2, row.Counts.Present);
        var addresses = target.ReadPages(vma.Vma.Start, vma.Vma.End, new PageReadOptions(PopulatedOnly: true, WithFrames: false))
            .SelectMany(b => b.Pages.ToArray()).Select(p => p.Address).ToList();
        Assert.Equal(Enumerable.Range(0, 256 * 256 / 2).Select(i => area + (ulong)i * 2 * 4096), addresses);
    }

    [SkippableFact]
    public void SparseAreaShowsExactlyTheWrittenPages()
    {
        using var specimen = Specimen.Start();
        using var target = LiveProcess.Open(specimen.Pid);
        var rows = AddressTranslation.Translate(target, new AddressRange(specimen["sparse"], specimen["sparse"] + 8 * 4096)).ToList();
        Assert.Equal(8, rows.Count);
        int[] written = [0, 2, 5];
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(written.Contains(i) ? PageState.Present : PageState.NotPopulated, rows[i].State);
            Assert.Equal(specimen["sparse"] + (ulong)i * 4096, rows[i].Address);
        }
        // Anonymous, private, written once: one mapping, an anonymous frame, exclusively ours.
        var page = rows[2].Page;
        Assert.Equal(1UL, page.MapCount);
        Assert.True(page.Flags.HasFlag(FrameFlags.Anonymous));
        Assert.True(page.Entry.IsExclusive);
        Assert.NotEqual(0UL, page.Entry.Pfn);
        Assert.Equal(page.Entry.Pfn * 4096, rows[2].PhysicalAddress);
    }

    [SkippableFact]
    public void HeapPagesWrittenByTheTargetArePresentAndInTheHeapClass()
    {
        using var specimen = Specimen.Start();
        using var target = LiveProcess.Open(specimen.Pid);
        ulong heap = specimen["heap"];
        var rows = AddressTranslation.Translate(target, new AddressRange(heap, heap + 8 * 4096)).ToList();
        // The block starts mid-page; the specimen wrote byte 0 of each of its 8 pages' worth.
        for (ulong i = 0; i < 8; i++)
        {
            var row = rows.Single(r => (r.Address & ~4095UL) == ((heap + i * 4096) & ~4095UL));
            Assert.Equal(PageState.Present, row.State);
            Assert.Equal(SegmentKind.Heap, row.Vma!.Class.Kind);
        }
        Assert.Equal(heap, rows[0].Address);
        Assert.Equal(rows[0].Page.Entry.Pfn * 4096 + (heap & 4095), rows[0].PhysicalAddress);
    }

    [SkippableFact]
    public void TransparentHugePagesAreHugeLeavesWithContiguousFrames()
    {
        using var specimen = Specimen.Start("--thp");
        using var target = LiveProcess.Open(specimen.Pid);
        ulong thp = specimen["thp"];
        var pages = target.ReadPages(thp, thp + (2 << 20), PageReadOptions.PopulatedWithFrames)
            .SelectMany(b => b.Pages.ToArray()).ToList();
        Assert.Equal(512, pages.Count);
        var smapsThp = Smaps.Read(specimen.Pid).Single(kv => kv.Key <= thp && thp < kv.Key + kv.Value["Size"] * 1024).Value["AnonHugePages"];
        if (smapsThp == 0) Assert.Fail("the kernel gave the specimen no THP (AnonHugePages 0): cannot check huge leaves");
        Assert.All(pages, p => Assert.True(p.IsHugeLeaf));
        Assert.All(pages, p => Assert.True(p.Flags.HasFlag(FrameFlags.Thp)));
        Assert.True(pages[0].Flags.HasFlag(FrameFlags.CompoundHead));
        Assert.True(pages[1].Flags.HasFlag(FrameFlags.CompoundTail));
        for (int i = 1; i < pages.Count; i++) Assert.Equal(pages[0].Entry.Pfn + (ulong)i, pages[i].Entry.Pfn);
        Assert.Equal(0UL, pages[0].Entry.Pfn % 512);
    }

    [SkippableFact]
    public void PopulatedListingAgreesWithResidencyTotals()
    {
        using var specimen = Specimen.Start("--reserve-gib", "4");
        using var target = LiveProcess.Open(specimen.Pid);
        var report = Residency.Measure(target);
        ulong listed = 0;
        foreach (var batch in target.ReadPages(0, ulong.MaxValue, PageReadOptions.PopulatedWithFrames))
            listed += (ulong)batch.Pages.Length;
        Assert.Equal(report.Total.Present + report.Total.Swapped, listed);
        var reserve = report.Vmas.Single(v => v.Vma.Vma.Start == specimen["reserve"]);
        Assert.Equal(4UL, reserve.Counts.Present);
        Assert.Equal(4UL << 18, reserve.Counts.Pages);
    }
}

/// <summary>
/// A read that asks for frame flags without map counts (what `maps` needs: flags tell the zero page
/// apart) gets the same flags and no map counts, so /proc/kpagecount is never read for it.
/// </summary>
public class FrameFlagsOnlyTests
{
    [SkippableFact]
    public void FlagsWithoutMapCountsLeaveCountsZeroAndFlagsTheSame()
    {
        using var specimen = Specimen.Start("--small-maps", "64");
        using var target = LiveProcess.Open(specimen.Pid);
        Skip.IfNot(target.Visibility.FrameFlagsVisible, target.Visibility.Reason);
        PageRecord[] Read(bool counts) => target.ReadPages(0, ulong.MaxValue,
            new PageReadOptions(PopulatedOnly: true, WithFrames: true, WithMapCounts: counts)).SelectMany(b => b.Pages.ToArray()).ToArray();
        var withCounts = Read(true);
        var flagsOnly = Read(false);
        Assert.NotEmpty(withCounts);
        // Each anonymous page the specimen wrote is mapped once, by this process: kpagecount says 1.
        var anonymous = withCounts.Where(p => (p.Flags & FrameFlags.Anonymous) != 0).ToList();
        Assert.True(anonymous.Count >= 64, $"{anonymous.Count} anonymous pages");
        Assert.All(anonymous, p => Assert.Equal(1UL, p.MapCount));
        Assert.All(flagsOnly, p => Assert.Equal(0UL, p.MapCount));
        Assert.Equal(withCounts.Select(p => (p.Address, p.Entry.Pfn, (p.Flags & FrameFlags.Anonymous) != 0)),
            flagsOnly.Select(p => (p.Address, p.Entry.Pfn, (p.Flags & FrameFlags.Anonymous) != 0)));
    }
}
