using PageAtlas.Analysis;
using PageAtlas.Paging;
using Xunit;

namespace PageAtlas.Tests;

/// <summary>
/// The diff walks the two readings side by side (never holding their pages): every kind of change
/// is still told apart, runs join consecutive pages, and classes and totals add up.
/// </summary>
public sealed class MemoryDiffTests
{
    private const ulong Page = 4096;

    [Fact]
    public void EveryKindOfChangeIsFoundAndConsecutivePagesMakeOneRun()
    {
        var before = new FakeTarget(PagingMode.FourLevel)
            .Vma(0x10000, 0x20000).Vma(0x30000, 0x32000)
            .Present(0x10000, 100, pages: 4)      // 4 pages: 2 stay, 1 copied, 1 dropped
            .Swapped(0x15000)                     // swapped in later
            .Present(0x16000, 200)                // swapped out later
            .Present(0x30000, 300, pages: 2);     // its VMA goes: moved by mremap to 0x50000
        var after = new FakeTarget(PagingMode.FourLevel)
            .Vma(0x10000, 0x20000).Vma(0x50000, 0x52000)
            .Present(0x10000, 100, pages: 2)
            .Present(0x12000, 999)                // copied: another frame
            .Present(0x15000, 400)
            .Swapped(0x16000)
            .Present(0x18000, 500, pages: 3)      // new pages
            .Present(0x50000, 300, pages: 2);

        var report = MemoryDiff.Compare(before, after);

        Assert.Equal(
            [
                (PageChange.Copied, 0x12000UL, 1UL, (ulong?)null),
                (PageChange.Dropped, 0x13000UL, 1UL, null),
                (PageChange.SwappedIn, 0x15000UL, 1UL, null),
                (PageChange.SwappedOut, 0x16000UL, 1UL, null),
                (PageChange.BecamePresent, 0x18000UL, 3UL, null),
                (PageChange.Moved, 0x50000UL, 2UL, 0x30000UL),
            ],
            report.Pages.Select(r => (r.Change, r.Start, r.Pages, r.MovedFrom)));
        Assert.Equal(3UL, report.Totals[PageChange.BecamePresent]);
        Assert.Equal(0UL, report.Totals[PageChange.Unmapped]); // the moved frames are reported where they arrived
        var anon = Assert.Single(report.Classes);
        Assert.Equal((7UL, 9UL), (anon.PresentBefore, anon.PresentAfter));
        Assert.Equal(2UL, anon.Changes[PageChange.Moved]);
        Assert.Equal([VmaChangeKind.Added, VmaChangeKind.Removed], report.Vmas.Select(v => v.Change).Order());
    }

    [Fact]
    public void PagesOfAVmaThatWentWithoutMovingAreUnmapped()
    {
        var before = new FakeTarget(PagingMode.FourLevel).Vma(0x10000, 0x20000).Vma(0x30000, 0x31000).Present(0x30000, 7);
        var after = new FakeTarget(PagingMode.FourLevel).Vma(0x10000, 0x20000).Present(0x10000, 8);
        var report = MemoryDiff.Compare(before, after);
        Assert.Equal([(PageChange.BecamePresent, 0x10000UL), (PageChange.Unmapped, 0x30000UL)], report.Pages.Select(r => (r.Change, r.Start)));
    }

    [Fact]
    public void TheSameReadingTwiceHasNoDifferences()
    {
        var target = new FakeTarget(PagingMode.FourLevel).Vma(0x10000, 0x20000).Present(0x10000, 1, pages: 3);
        var report = MemoryDiff.Compare(target, target);
        Assert.Empty(report.Pages);
        Assert.Empty(report.Classes);
        Assert.Empty(report.Vmas);
    }
}
